/*
 * Captures raw rtnetlink datagrams for the address/route parser tests, one hex line per datagram
 * on stdout (run inside a test namespace with `ip netns exec`). Built with gcc by netlink-capture.ts.
 *
 *   netlink-capture dump addr|route FAMILY [IFINDEX [strict]]
 *       RTM_GETADDR / RTM_GETROUTE dump (FAMILY 0, 2 or 10), optionally filtered by ifindex (ifaddrmsg
 *       ifa_index / RTA_OIF), optionally with NETLINK_GET_STRICT_CHK set first. Ends after NLMSG_DONE
 *       or NLMSG_ERROR.
 *   netlink-capture monitor GROUPS MILLISECONDS
 *       Binds to the RTMGRP_* bitmask GROUPS, prints "ready", then every datagram received until
 *       stdin is closed and after that MILLISECONDS pass with none.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

static unsigned char buf[1 << 20];

static void print_hex(const unsigned char *p, ssize_t n) {
  static const char digits[] = "0123456789abcdef";
  for (ssize_t i = 0; i < n; i++) {
    putchar(digits[p[i] >> 4]);
    putchar(digits[p[i] & 15]);
  }
  putchar('\n');
  fflush(stdout);
}

static int open_socket(unsigned groups) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) { perror("socket"); exit(2); }
  int rcvbuf = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
  struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("bind"); exit(2); }
  return fd;
}

static int dump(int argc, char **argv) {
  int route = strcmp(argv[2], "route") == 0;
  int family = atoi(argv[3]);
  int ifindex = argc > 4 ? atoi(argv[4]) : 0;
  int strict = argc > 5 && strcmp(argv[5], "strict") == 0;
  int fd = open_socket(0);
  if (strict) {
    int one = 1;
    if (setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one) < 0) { perror("NETLINK_GET_STRICT_CHK"); return 2; }
  }
  struct {
    struct nlmsghdr h;
    union { struct ifaddrmsg a; struct rtmsg r; } body;
    unsigned char attrs[16];
  } req;
  memset(&req, 0, sizeof req);
  req.h.nlmsg_type = route ? RTM_GETROUTE : RTM_GETADDR;
  req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.h.nlmsg_seq = 1;
  if (route) {
    req.body.r.rtm_family = family;
    req.h.nlmsg_len = NLMSG_LENGTH(sizeof req.body.r);
    if (ifindex) {
      struct rtattr *a = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.h.nlmsg_len));
      a->rta_type = RTA_OIF;
      a->rta_len = RTA_LENGTH(4);
      memcpy(RTA_DATA(a), &ifindex, 4);
      req.h.nlmsg_len = NLMSG_ALIGN(req.h.nlmsg_len) + RTA_ALIGN(a->rta_len);
    }
  } else {
    req.body.a.ifa_family = family;
    req.body.a.ifa_index = ifindex;
    req.h.nlmsg_len = NLMSG_LENGTH(sizeof req.body.a);
  }
  if (send(fd, &req, req.h.nlmsg_len, 0) < 0) { perror("send"); return 2; }
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      perror("recv");
      return 2;
    }
    print_hex(buf, n);
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) return 0;
    }
  }
}

static int monitor(char **argv) {
  int fd = open_socket((unsigned)strtoul(argv[2], NULL, 0));
  int quiet_ms = atoi(argv[3]);
  printf("ready\n");
  fflush(stdout);
  /* Until stdin closes (the test has made its changes) wait without a limit; then until quiet_ms
     pass without a datagram. So a slow change (a loaded machine) cannot end the capture early. */
  struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = 0, .events = POLLIN } };
  int changing = 1;
  for (;;) {
    int n = poll(p, changing ? 2 : 1, changing ? -1 : quiet_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (p[0].revents & POLLIN) {
      ssize_t len = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (len > 0) print_hex(buf, len);
    }
    if (changing && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      char scratch[64];
      if (read(0, scratch, sizeof scratch) <= 0) changing = 0;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 4 && strcmp(argv[1], "dump") == 0) return dump(argc, argv);
  if (argc == 4 && strcmp(argv[1], "monitor") == 0) return monitor(argv);
  fprintf(stderr, "usage: %s dump addr|route FAMILY [IFINDEX [strict]] | monitor GROUPS MS\n", argv[0]);
  return 2;
}
