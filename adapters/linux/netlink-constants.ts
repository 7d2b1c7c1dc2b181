/**
 * rtnetlink numbers used by the Linux adapter (from linux/netlink.h, rtnetlink.h, if_link.h,
 * netconf.h, neighbour.h; verified on kernel 6.18, see docs/linux.md).
 *
 * @module
 */

/** Socket level numbers. */
export const AF_NETLINK = 16;
export const SOCK_RAW = 3;
export const SOCK_CLOEXEC = 0x80000;
export const NETLINK_ROUTE = 0;
export const SOL_SOCKET = 1;
export const SO_RCVBUF = 8;
export const SO_RCVTIMEO = 20;
export const SO_RCVBUFFORCE = 33;
export const SOL_NETLINK = 270;
export const NETLINK_ADD_MEMBERSHIP = 1;
export const MSG_DONTWAIT = 0x40;
export const MSG_TRUNC = 0x20;
export const CLONE_NEWNET = 0x40000000;
/** ioctl on an nsfs file: its CLONE_NEW* type (linux/nsfs.h, _IO(0xb7, 3)); ENOTTY on any other file. */
export const NS_GET_NSTYPE = 0xb703;

/** errno values this adapter reacts to. */
export const ENOENT = 2;
export const EINTR = 4;
export const EAGAIN = 11;
export const ENODEV = 19;
export const ENOBUFS = 105;

/** Multicast groups bound as a bitmask (legacy RTMGRP_*). */
export const RTMGRP_LINK = 0x1;
export const RTMGRP_IPV6_IFADDR = 0x100;
export const RTMGRP_IPV6_IFINFO = 0x800;
/** Groups above 32 need NETLINK_ADD_MEMBERSHIP. */
export const RTNLGRP_IPV4_NETCONF = 24;
export const RTNLGRP_IPV6_NETCONF = 25;

/** nlmsghdr. */
export const NLMSG_HDRLEN = 16;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLM_F_REQUEST = 0x1;
export const NLM_F_MULTI = 0x2;
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_DUMP = 0x300;

/** Message types. */
export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;
export const RTM_NEWNEIGHTBL = 64;
export const RTM_GETNEIGHTBL = 66;
export const RTM_NEWNETCONF = 80;
export const RTM_DELNETCONF = 81;
export const RTM_GETNETCONF = 82;

/** Linux address families. */
export const LINUX_AF_UNSPEC = 0;
export const LINUX_AF_INET = 2;
export const LINUX_AF_INET6 = 10;

/** ifinfomsg attributes. */
export const IFLA_ADDRESS = 1;
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_PROTINFO = 12;
export const IFLA_OPERSTATE = 16;
export const IFLA_AF_SPEC = 26;
export const IFLA_EXT_MASK = 29;
/** IFLA_EXT_MASK value: leave the (large) statistics out of link messages. */
export const RTEXT_FILTER_SKIP_STATS = 1 << 3;
/** Inside IFLA_AF_SPEC / AF_INET. */
export const IFLA_INET_CONF = 1;
/** Inside IFLA_AF_SPEC / AF_INET6 and IFLA_PROTINFO. */
export const IFLA_INET6_FLAGS = 1;
export const IFLA_INET6_CONF = 2;
export const IFLA_INET6_CACHEINFO = 5;
export const IFLA_INET6_TOKEN = 7;
export const IFLA_INET6_ADDR_GEN_MODE = 8;

/** ifi_flags bits. */
export const IFF_UP = 0x1;
export const IFF_NOARP = 0x80;
export const IFF_RUNNING = 0x40;
/** IFLA_OPERSTATE values (RFC 2863). */
export const IF_OPER_UNKNOWN = 0;
export const IF_OPER_UP = 6;
/** IFLA_INET6_FLAGS bits. */
export const IF_RA_MANAGED = 0x40;
export const IF_RA_OTHERCONF = 0x80;

/** Index into IFLA_INET_CONF (element i = IPV4_DEVCONF_(i+1)). */
export const IPV4_DEVCONF_FORWARDING_INDEX = 0;
/** Index into IFLA_INET6_CONF (element i = DEVCONF_i). */
export const DEVCONF_FORWARDING = 0;
export const DEVCONF_MTU6 = 2;
export const DEVCONF_ACCEPT_RA = 3;
export const DEVCONF_DAD_TRANSMITS = 6;
export const DEVCONF_ACCEPT_RA_DEFRTR = 17;
export const DEVCONF_ACCEPT_DAD = 27;
/** IN6_ADDR_GEN_MODE_NONE: no link-local address is generated. */
export const IN6_ADDR_GEN_MODE_NONE = 1;

/** netconfmsg attributes. */
export const NETCONFA_IFINDEX = 1;
export const NETCONFA_FORWARDING = 2;
/** Pseudo ifindexes in netconf messages: the `all` and `default` settings, not interfaces. */
export const NETCONFA_IFINDEX_ALL = -1;
export const NETCONFA_IFINDEX_DEFAULT = -2;

/** ifaddrmsg attributes. */
export const IFA_ADDRESS = 1;
export const RT_SCOPE_LINK = 253;

/** ndtmsg attributes (RTM_NEWNEIGHTBL). */
export const NDTA_NAME = 1;
export const NDTA_PARMS = 6;
export const NDTPA_IFINDEX = 1;
export const NDTPA_REACHABLE_TIME = 3;
export const NDTPA_BASE_REACHABLE_TIME = 4;
export const NDTPA_RETRANS_TIME = 5;
