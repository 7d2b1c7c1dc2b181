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
export const ESTALE = 116;

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

/** Address and route groups (legacy RTMGRP_* bitmask; RTMGRP_IPV6_IFADDR is above). */
export const RTMGRP_IPV4_IFADDR = 0x10;
export const RTMGRP_IPV4_ROUTE = 0x40;
export const RTMGRP_IPV6_ROUTE = 0x400;
/** setsockopt(SOL_NETLINK): the kernel honours the header fields of GET requests as filters. */
export const NETLINK_GET_STRICT_CHK = 12;
/** nlmsg_flags of a notification: RTM_NEWROUTE for `ip route replace` carries NLM_F_REPLACE. */
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;

/** Route message types. */
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;

/** More ifaddrmsg attributes (IFA_ADDRESS is above). */
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_BROADCAST = 4;
export const IFA_ANYCAST = 5;
export const IFA_CACHEINFO = 6;
export const IFA_MULTICAST = 7;
export const IFA_FLAGS = 8;
export const IFA_RT_PRIORITY = 9;
export const IFA_TARGET_NETNSID = 10;
export const IFA_PROTO = 11;
/** IFA_F_* address flags (the low 8 in ifa_flags, all 32 in IFA_FLAGS). 0x01 is SECONDARY on IPv4, TEMPORARY on IPv6. */
export const IFA_F_SECONDARY = 0x01;
export const IFA_F_TEMPORARY = 0x01;
export const IFA_F_NODAD = 0x02;
export const IFA_F_OPTIMISTIC = 0x04;
export const IFA_F_DADFAILED = 0x08;
export const IFA_F_HOMEADDRESS = 0x10;
export const IFA_F_DEPRECATED = 0x20;
export const IFA_F_TENTATIVE = 0x40;
export const IFA_F_PERMANENT = 0x80;
export const IFA_F_MANAGETEMPADDR = 0x100;
export const IFA_F_NOPREFIXROUTE = 0x200;
export const IFA_F_MCAUTOJOIN = 0x400;
export const IFA_F_STABLE_PRIVACY = 0x800;
/** IFA_PROTO values (kernel 5.18+; the attribute is only sent when not 0). */
export const IFAPROT_UNSPEC = 0;
export const IFAPROT_KERNEL_LO = 1;
export const IFAPROT_KERNEL_RA = 2;
export const IFAPROT_KERNEL_LL = 3;
/** rt_scope_t (ifa_scope, rtm_scope). RT_SCOPE_LINK is above. */
export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

/** rtmsg attributes. */
export const RTA_DST = 1;
export const RTA_SRC = 2;
export const RTA_IIF = 3;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_PRIORITY = 6;
export const RTA_PREFSRC = 7;
export const RTA_METRICS = 8;
export const RTA_MULTIPATH = 9;
export const RTA_FLOW = 11;
export const RTA_CACHEINFO = 12;
export const RTA_TABLE = 15;
export const RTA_MARK = 16;
export const RTA_VIA = 18;
export const RTA_PREF = 20;
export const RTA_ENCAP_TYPE = 21;
export const RTA_ENCAP = 22;
export const RTA_EXPIRES = 23;
export const RTA_NH_ID = 30;
/** rtm_type values. */
export const RTN_UNSPEC = 0;
export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
export const RTN_ANYCAST = 4;
export const RTN_MULTICAST = 5;
export const RTN_BLACKHOLE = 6;
export const RTN_UNREACHABLE = 7;
export const RTN_PROHIBIT = 8;
/** rtm_protocol values (rtnetlink.h and iproute2's rt_protocols). */
export const RTPROT_UNSPEC = 0;
export const RTPROT_REDIRECT = 1;
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RTPROT_STATIC = 4;
export const RTPROT_RA = 9;
export const RTPROT_DHCP = 16;
export const RTPROT_BGP = 186;
export const RTPROT_ISIS = 187;
export const RTPROT_OSPF = 188;
export const RTPROT_RIP = 189;
export const RTPROT_EIGRP = 192;
/** rtm_flags bits. */
export const RTM_F_NOTIFY = 0x100;
export const RTM_F_CLONED = 0x200;
/** rtm_table values (RTA_TABLE carries the 32-bit table; rtm_table is RT_TABLE_COMPAT 252 above 255). */
export const RT_TABLE_UNSPEC = 0;
export const RT_TABLE_COMPAT = 252;
export const RT_TABLE_DEFAULT = 253;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;
/** rtnh_flags bits of a next hop. */
export const RTNH_F_DEAD = 0x1;
export const RTNH_F_PERVASIVE = 0x2;
export const RTNH_F_ONLINK = 0x4;
export const RTNH_F_LINKDOWN = 0x10;
/** RTA_PREF (IPv6 router preference, RFC 4191). */
export const ICMPV6_ROUTER_PREF_MEDIUM = 0;
export const ICMPV6_ROUTER_PREF_HIGH = 1;
export const ICMPV6_ROUTER_PREF_INVALID = 2;
export const ICMPV6_ROUTER_PREF_LOW = 3;

/** Address table (issue 13): the IPv4 address group is joined only while an address registration is live. */
export const RTNLGRP_IPV4_IFADDR = 5;
export const NETLINK_DROP_MEMBERSHIP = 2;
/** ifi_flags: the carrier is up (IPv6 starts its link-local address and DAD then). */
export const IFF_LOWER_UP = 0x10000;
