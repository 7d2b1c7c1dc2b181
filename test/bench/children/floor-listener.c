/*
 * Physical floor (not a product): the least any listener can do. Run under `ip netns exec`; one
 * NETLINK_ROUTE socket bound to RTMGRP_LINK, a blocking poll(); on wake-up: stamp CLOCK_MONOTONIC,
 * recv every queued datagram, read ifindex, IFLA_MTU and IFLA_OPERSTATE, keep the record in memory.
 * On SIGTERM/SIGINT: print the records ("monotonic_us ifindex mtu_or_-1 up_1/0_or_-1", one a line)
 * to stdout and exit. Compiled with gcc at bench time (scenarios/latency.js).
 */
#define _GNU_SOURCE
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS (1 << 20)

struct event { double us; int ifindex; int mtu; int up; };
static struct event *events;
static size_t count;
static volatile sig_atomic_t stop;

static void on_signal(int sig) { (void)sig; stop = 1; }

int main(void) {
  events = calloc(MAX_EVENTS, sizeof *events);
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
  if (!events || fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) { perror("netlink"); return 1; }
  struct sigaction act = { .sa_handler = on_signal }; /* no SA_RESTART: poll() returns EINTR */
  sigaction(SIGTERM, &act, NULL);
  sigaction(SIGINT, &act, NULL);
  static char buf[65536] __attribute__((aligned(4)));
  struct pollfd p = { .fd = fd, .events = POLLIN };
  while (!stop) {
    if (poll(&p, 1, -1) <= 0) continue;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double us = ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
    for (;;) {
      ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) break;
      for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
        if ((h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg))) continue;
        struct ifinfomsg *ifi = NLMSG_DATA(h);
        int mtu = -1, up = -1;
        int len = IFLA_PAYLOAD(h);
        for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
          int type = a->rta_type & 0x3fff;
          if (type == IFLA_MTU && RTA_PAYLOAD(a) >= 4) memcpy(&mtu, RTA_DATA(a), 4);
          else if (type == IFLA_OPERSTATE && RTA_PAYLOAD(a) >= 1) up = *(unsigned char *)RTA_DATA(a) == 6 ? 1 : 0;
        }
        if (count < MAX_EVENTS) {
          int deleted = h->nlmsg_type == RTM_DELLINK;
          events[count++] = (struct event){ us, ifi->ifi_index, deleted ? -1 : mtu, deleted ? 0 : up };
        }
      }
    }
  }
  for (size_t i = 0; i < count; i++) printf("%.3f %d %d %d\n", events[i].us, events[i].ifindex, events[i].mtu, events[i].up);
  fflush(stdout);
  close(fd);
  return 0;
}
