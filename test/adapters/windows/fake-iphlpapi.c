/*
 * A fake iphlpapi.dll for the Windows adapter's tests. Same exports and ABI as the real DLL, with the
 * threading behaviour that matters (docs/windows.md, "How the cancellation deadlock is avoided" and
 * "The koffi async budget"):
 *   - callbacks come from a native delivery thread, serialized, Row NULL for the initial notification;
 *     or (option 8) like Windows' worker threads: one native thread per registration, all calling
 *     back concurrently, and (option 9) each delivering a parameter notification continuously at a
 *     configurable rate;
 *   - CancelMibChangeNotify2 waits for a callback of that registration in flight (so a synchronous
 *     cancel from the callback, or while a callback is blocked in JS, deadlocks exactly as on Windows);
 *   - NotifyIpInterfaceChange can be told to wait until its own initial callback returned;
 *   - every function can be told to return an error code once;
 *   - like Windows, the delivered row is sparse by default (only Family, InterfaceLuid and
 *     InterfaceIndex are meaningful): GetIpInterfaceEntry gives the full row.
 * Plus fake_* control functions for the tests. Builds as a Linux .so (gcc -shared -fPIC -pthread) and
 * as a DLL (x86_64-w64-mingw32-gcc -shared). With -DFAKE_MINIMAL only the two required functions and
 * the controls are exported, to test the adapter's optional bindings.
 *
 * Addresses and routes (issues 13, 14): NotifyUnicastIpAddressChange and NotifyRouteChange2 register
 * exactly like NotifyIpInterfaceChange (same threads, rate, cancel delay, NULL handle, hold/delay
 * options; a registration only gets its own kind's events), deliver sparse rows (keys only, the rest
 * 0xCC) that GetUnicastIpAddressEntry / GetIpForwardEntry2 complete; GetUnicastIpAddressTable,
 * GetIpForwardTable2 (+ FreeMibTable) and GetBestRoute2 (longest prefix, then lowest metric; 1231 when
 * nothing matches) read the fixture tables of fill_addr() / fill_route(), which fake_address_change /
 * fake_route_change edit (test/adapters/windows/fake-controls.ts mirrors the formulas).
 *
 * Fixture: interfaces 1 (loopback, IfType 24), 2 (ethernet, IfType 6), 3 (wireless, IfType 71: its
 * LUID exceeds 2^53) for Family 2 and 23. Every field is a formula of (index, family) in fill_row();
 * test/adapters/windows/fake-controls.ts mirrors it (expectedFakeRow); the options and stats are
 * bound there too (FAKE_OPTION, stats()).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#ifdef _WIN32
#include <windows.h>
#define EXPORT __declspec(dllexport)
typedef CRITICAL_SECTION fake_mutex;
typedef CONDITION_VARIABLE fake_cond;
static void mutex_init(fake_mutex *m) { InitializeCriticalSection(m); }
static void mutex_lock(fake_mutex *m) { EnterCriticalSection(m); }
static void mutex_unlock(fake_mutex *m) { LeaveCriticalSection(m); }
static void cond_init(fake_cond *c) { InitializeConditionVariable(c); }
static void cond_wait(fake_cond *c, fake_mutex *m) { SleepConditionVariableCS(c, m, INFINITE); }
static void cond_broadcast(fake_cond *c) { WakeAllConditionVariable(c); }
static void cond_wait_ms(fake_cond *c, fake_mutex *m, uint32_t ms) { SleepConditionVariableCS(c, m, ms); }
static void sleep_ms(int ms) { Sleep((DWORD)ms); }
static uint64_t now_ns(void) {
  LARGE_INTEGER f, c;
  QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&c);
  return (uint64_t)((double)c.QuadPart * 1e9 / (double)f.QuadPart);
}
static DWORD WINAPI delivery_main_win(LPVOID arg);
static int start_thread(void) { return CreateThread(NULL, 0, delivery_main_win, NULL, 0, NULL) != NULL; }
static DWORD WINAPI reg_main_win(LPVOID arg);
static int start_reg_thread(uintptr_t slot) {
  HANDLE t = CreateThread(NULL, 256 * 1024, reg_main_win, (LPVOID)slot, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
  if (!t) return 0;
  CloseHandle(t);
  return 1;
}
#else
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#define EXPORT __attribute__((visibility("default")))
#define WINAPI
typedef pthread_mutex_t fake_mutex;
typedef pthread_cond_t fake_cond;
static void mutex_init(fake_mutex *m) { pthread_mutex_init(m, NULL); }
static void mutex_lock(fake_mutex *m) { pthread_mutex_lock(m); }
static void mutex_unlock(fake_mutex *m) { pthread_mutex_unlock(m); }
static void cond_init(fake_cond *c) {
  pthread_condattr_t a;
  pthread_condattr_init(&a);
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
  pthread_cond_init(c, &a);
  pthread_condattr_destroy(&a);
}
static void cond_wait(fake_cond *c, fake_mutex *m) { pthread_cond_wait(c, m); }
static void cond_broadcast(fake_cond *c) { pthread_cond_broadcast(c); }
static void cond_wait_ms(fake_cond *c, fake_mutex *m, uint32_t ms) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  t.tv_sec += ms / 1000;
  t.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (t.tv_nsec >= 1000000000L) {
    t.tv_sec++;
    t.tv_nsec -= 1000000000L;
  }
  pthread_cond_timedwait(c, m, &t);
}
static void sleep_ms(int ms) { usleep((useconds_t)ms * 1000); }
static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}
static void *delivery_main_posix(void *arg);
static int start_thread(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, delivery_main_posix, NULL) != 0) return 0;
  pthread_detach(t);
  return 1;
}
static void *reg_main_posix(void *arg);
static int start_reg_thread(uintptr_t slot) {
  pthread_t t;
  pthread_attr_t a;
  pthread_attr_init(&a);
  pthread_attr_setstacksize(&a, 256 * 1024);
  pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
  int ok = pthread_create(&t, &a, reg_main_posix, (void *)slot) == 0;
  pthread_attr_destroy(&a);
  return ok;
}
#endif

/* MIB_IPINTERFACE_ROW with fixed-width types; the offsets are the reference's (checked below). */
typedef struct {
  uint16_t Family;
  uint64_t InterfaceLuid;
  uint32_t InterfaceIndex;
  uint32_t MaxReassemblySize;
  uint64_t InterfaceIdentifier;
  uint32_t MinRouterAdvertisementInterval;
  uint32_t MaxRouterAdvertisementInterval;
  uint8_t AdvertisingEnabled;
  uint8_t ForwardingEnabled;
  uint8_t WeakHostSend;
  uint8_t WeakHostReceive;
  uint8_t UseAutomaticMetric;
  uint8_t UseNeighborUnreachabilityDetection;
  uint8_t ManagedAddressConfigurationSupported;
  uint8_t OtherStatefulConfigurationSupported;
  uint8_t AdvertiseDefaultRoute;
  int32_t RouterDiscoveryBehavior;
  uint32_t DadTransmits;
  uint32_t BaseReachableTime;
  uint32_t RetransmitTime;
  uint32_t PathMtuDiscoveryTimeout;
  int32_t LinkLocalAddressBehavior;
  uint32_t LinkLocalAddressTimeout;
  uint32_t ZoneIndices[16];
  uint32_t SitePrefixLength;
  uint32_t Metric;
  uint32_t NlMtu;
  uint8_t Connected;
  uint8_t SupportsWakeUpPatterns;
  uint8_t SupportsNeighborDiscovery;
  uint8_t SupportsRouterDiscovery;
  uint32_t ReachableTime;
  uint8_t TransmitOffload;
  uint8_t ReceiveOffload;
  uint8_t DisableDefaultRoutes;
} FAKE_ROW;

_Static_assert(sizeof(FAKE_ROW) == 168, "MIB_IPINTERFACE_ROW is 168 bytes");
_Static_assert(offsetof(FAKE_ROW, InterfaceLuid) == 8, "InterfaceLuid");
_Static_assert(offsetof(FAKE_ROW, InterfaceIdentifier) == 24, "InterfaceIdentifier");
_Static_assert(offsetof(FAKE_ROW, AdvertisingEnabled) == 40, "AdvertisingEnabled");
_Static_assert(offsetof(FAKE_ROW, RouterDiscoveryBehavior) == 52, "RouterDiscoveryBehavior");
_Static_assert(offsetof(FAKE_ROW, ZoneIndices) == 80, "ZoneIndices");
_Static_assert(offsetof(FAKE_ROW, Connected) == 156, "Connected");
_Static_assert(offsetof(FAKE_ROW, ReachableTime) == 160, "ReachableTime");
_Static_assert(offsetof(FAKE_ROW, DisableDefaultRoutes) == 166, "DisableDefaultRoutes");

/* SOCKADDR_INET, MIB_UNICASTIPADDRESS_ROW, IP_ADDRESS_PREFIX, MIB_IPFORWARD_ROW2 with fixed-width types
 * (adapters/windows/sockaddr-inet.ts, mib-unicastipaddress-row.ts, mib-ipforward-row2.ts; checked below). */
typedef union {
  struct {
    uint16_t family, port;
    uint8_t addr[4];
    uint8_t zero[8];
  } v4;
  struct {
    uint16_t family, port;
    uint32_t flowinfo;
    uint8_t addr[16];
    uint32_t scope_id;
  } v6;
  uint16_t family;
} FAKE_SOCKADDR_INET;

typedef struct {
  FAKE_SOCKADDR_INET Address;
  uint64_t InterfaceLuid;
  uint32_t InterfaceIndex;
  int32_t PrefixOrigin;
  int32_t SuffixOrigin;
  uint32_t ValidLifetime;
  uint32_t PreferredLifetime;
  uint8_t OnLinkPrefixLength;
  uint8_t SkipAsSource;
  int32_t DadState;
  uint32_t ScopeId;
  uint64_t CreationTimeStamp;
} FAKE_ADDR_ROW;

typedef struct {
  FAKE_SOCKADDR_INET Prefix;
  uint8_t PrefixLength;
} FAKE_PREFIX;

typedef struct {
  uint64_t InterfaceLuid;
  uint32_t InterfaceIndex;
  FAKE_PREFIX DestinationPrefix;
  FAKE_SOCKADDR_INET NextHop;
  uint8_t SitePrefixLength;
  uint32_t ValidLifetime;
  uint32_t PreferredLifetime;
  uint32_t Metric;
  int32_t Protocol;
  uint8_t Loopback, AutoconfigureAddress, Publish, Immortal;
  uint32_t Age;
  int32_t Origin;
} FAKE_ROUTE_ROW;

_Static_assert(sizeof(FAKE_SOCKADDR_INET) == 28, "SOCKADDR_INET is 28 bytes");
_Static_assert(sizeof(FAKE_ADDR_ROW) == 80, "MIB_UNICASTIPADDRESS_ROW is 80 bytes");
_Static_assert(offsetof(FAKE_ADDR_ROW, InterfaceLuid) == 32, "InterfaceLuid");
_Static_assert(offsetof(FAKE_ADDR_ROW, DadState) == 64, "DadState");
_Static_assert(offsetof(FAKE_ADDR_ROW, CreationTimeStamp) == 72, "CreationTimeStamp");
_Static_assert(sizeof(FAKE_ROUTE_ROW) == 104, "MIB_IPFORWARD_ROW2 is 104 bytes");
_Static_assert(offsetof(FAKE_ROUTE_ROW, DestinationPrefix) == 12, "DestinationPrefix");
_Static_assert(offsetof(FAKE_ROUTE_ROW, NextHop) == 44, "NextHop");
_Static_assert(offsetof(FAKE_ROUTE_ROW, SitePrefixLength) == 72, "SitePrefixLength");
_Static_assert(offsetof(FAKE_ROUTE_ROW, Age) == 96, "Age");
_Static_assert(sizeof(FAKE_ROUTE_ROW) <= sizeof(FAKE_ROW), "an event's row storage holds every kind");

typedef void(WINAPI *change_callback)(void *context, FAKE_ROW *row, int32_t type);

enum { PARAMETER = 0, ADD = 1, DELETE_ = 2, INITIAL = 3 };
/* What a registration is for: NotifyIpInterfaceChange, NotifyUnicastIpAddressChange, NotifyRouteChange2. */
enum { K_IFACE = 0, K_ADDR = 1, K_ROUTE = 2 };
enum {
  E_NOTIFY = 0, E_CANCEL = 1, E_TABLE = 2, E_ENTRY = 3, E_NAME = 4, E_ADDR_NOTIFY = 5, E_ADDR_ENTRY = 6, E_ADDR_TABLE = 7,
  E_ROUTE_NOTIFY = 8, E_ROUTE_ENTRY = 9, E_ROUTE_TABLE = 10, E_BEST_ROUTE = 11, E_COUNT = 12
};
/* Above 1000: the scale tests make 1000 registrations at once against the adapter before the fan-out. */
#define MAX_REGS 4096
#define MAX_IFS 32
#define HANDLE_BASE 0x10000

typedef struct event {
  struct event *next;
  uint32_t target; /* registration id, 0 = every matching registration */
  int32_t type;
  int kind;        /* K_*: which registrations it is for */
  uint16_t family; /* the row's family */
  FAKE_ROW row;    /* a FAKE_ROW, or the bytes of a FAKE_ADDR_ROW / FAKE_ROUTE_ROW (kind) */
} event_t;

typedef struct {
  int used, cancelled, in_flight, initial_delivered;
  int threaded;          /* has its own delivery thread (option 8 at registration time) */
  int kind;              /* K_* */
  uint32_t id;
  uint16_t family;
  change_callback callback;
  void *context;
  event_t *qhead, *qtail; /* the own thread's queue */
  uint32_t tick;         /* which interface the next continuous notification is about */
} reg_t;

typedef struct {
  int used;
  FAKE_ROW row;
} iface_t;

#define MAX_ADDRS 256
#define MAX_ROUTES 256
typedef struct {
  int used;
  uint32_t index, host;
  FAKE_ADDR_ROW row;
} addr_t;
typedef struct {
  int used;
  uint32_t index, dest;
  FAKE_ROUTE_ROW row;
} route_t;
static addr_t g_addrs[MAX_ADDRS];
static route_t g_routes[MAX_ROUTES];

static fake_mutex g_lock;
static fake_cond g_cond;
static int g_thread_started;
static reg_t g_regs[MAX_REGS];
static iface_t g_ifs[MAX_IFS];
static event_t *g_head, *g_tail;
static uint32_t g_next_id = HANDLE_BASE;
static uint32_t g_next_error[E_COUNT];
static int g_wait_initial, g_null_handle, g_sparse = 1, g_entry_not_found, g_register_delay_ms, g_delivery_delay_ms, g_return_delay_ms, g_hold_return;
static int g_in_flight, g_outstanding_tables;
static uint64_t g_cb_count, g_cb_ns_total, g_cb_ns_max, g_registrations_total;
static int g_thread_per_reg, g_rate_per_second, g_reg_threads, g_in_flight_max, g_live_max, g_cancel_delay_ms;
static uint64_t g_entry_calls, g_name_calls;
/* One condition per registration slot (outside reg_t: a slot is zeroed on cancel, its condition must not be). */
static fake_cond g_reg_cond[MAX_REGS];

static uint64_t luid_of(uint32_t index) {
  uint64_t if_type = index == 1 ? 24 : index == 3 ? 71 : 6;
  return (if_type << 48) | ((uint64_t)(index * 4096u) << 24);
}

static void fill_row(FAKE_ROW *r, uint16_t family, uint32_t index) {
  static const int32_t behavior[4] = {0, 1, 2, -1};
  memset(r, 0, sizeof *r);
  r->Family = family;
  r->InterfaceLuid = luid_of(index);
  r->InterfaceIndex = index;
  r->MaxReassemblySize = 65535 - index;
  r->InterfaceIdentifier = 0x02005efffe000000ull + index;
  r->MinRouterAdvertisementInterval = 200 + index;
  r->MaxRouterAdvertisementInterval = 600 + index;
  r->AdvertisingEnabled = index & 1;
  r->ForwardingEnabled = (index >> 1) & 1;
  r->WeakHostSend = family == 23;
  r->WeakHostReceive = family == 2;
  r->UseAutomaticMetric = 1;
  r->UseNeighborUnreachabilityDetection = 1;
  r->ManagedAddressConfigurationSupported = 0;
  r->OtherStatefulConfigurationSupported = 1;
  r->AdvertiseDefaultRoute = 0;
  r->RouterDiscoveryBehavior = behavior[index % 4];
  r->DadTransmits = family == 23 ? index : 0;
  r->BaseReachableTime = 30000 + index;
  r->RetransmitTime = 1000 + index;
  r->PathMtuDiscoveryTimeout = 600000 + index;
  r->LinkLocalAddressBehavior = behavior[(index + 1) % 4];
  r->LinkLocalAddressTimeout = 1800000 + index;
  for (int i = 0; i < 16; i++) r->ZoneIndices[i] = index * 100 + (uint32_t)i;
  r->SitePrefixLength = family == 23 ? 64 : 0;
  r->Metric = 25 + index;
  r->NlMtu = index == 1 ? 0xFFFFFFFFu : 1500;
  r->Connected = index != 3;
  r->SupportsWakeUpPatterns = index == 2;
  r->SupportsNeighborDiscovery = family == 23;
  r->SupportsRouterDiscovery = family == 23;
  r->ReachableTime = 15000 + index;
  r->TransmitOffload = (uint8_t)(0xA5 ^ index);
  r->ReceiveOffload = (uint8_t)(0x5A ^ index);
  r->DisableDefaultRoutes = index == 3;
}

/* The address `host` of interface `index`: 10.0.index.host/24, or fe80::index:host/64 with ScopeId index. */
static void fill_addr(FAKE_ADDR_ROW *r, uint16_t family, uint32_t index, uint32_t host) {
  memset(r, 0, sizeof *r);
  int v6 = family == 23;
  if (v6) {
    r->Address.v6.family = 23;
    r->Address.v6.addr[0] = 0xfe;
    r->Address.v6.addr[1] = 0x80;
    r->Address.v6.addr[12] = (uint8_t)(index >> 8);
    r->Address.v6.addr[13] = (uint8_t)index;
    r->Address.v6.addr[14] = (uint8_t)(host >> 8);
    r->Address.v6.addr[15] = (uint8_t)host;
    r->Address.v6.scope_id = index;
  } else {
    r->Address.v4.family = 2;
    r->Address.v4.addr[0] = 10;
    r->Address.v4.addr[2] = (uint8_t)index;
    r->Address.v4.addr[3] = (uint8_t)host;
  }
  r->InterfaceLuid = luid_of(index);
  r->InterfaceIndex = index;
  r->PrefixOrigin = (int32_t)((index + host + (uint32_t)v6) % 5);
  r->SuffixOrigin = (int32_t)((index + host + 2u * (uint32_t)v6) % 6);
  r->ValidLifetime = index == 1 ? 0xFFFFFFFFu : 86400 + index * 10 + host;
  r->PreferredLifetime = index == 1 ? 0xFFFFFFFFu : 14400 + index * 10 + host;
  r->OnLinkPrefixLength = v6 ? 64 : 24;
  r->SkipAsSource = host == 3;
  r->DadState = 4;
  r->ScopeId = v6 ? index : 0;
  r->CreationTimeStamp = 0x01DA000000000000ull + index * 1000u + host;
}

/* Route `dest` of interface `index`: 0 the connected on-link route (10.0.index.0/24, fe80::/64),
 * 1 a default route via 10.0.index.254 / fe80::index:fe, k >= 2 10.k.0.0/16 / 2001:db8:k::/48 via that gateway. */
static void fill_route(FAKE_ROUTE_ROW *r, uint16_t family, uint32_t index, uint32_t dest) {
  memset(r, 0, sizeof *r);
  int v6 = family == 23;
  r->InterfaceLuid = luid_of(index);
  r->InterfaceIndex = index;
  FAKE_SOCKADDR_INET *p = &r->DestinationPrefix.Prefix;
  if (v6) {
    p->v6.family = 23;
    if (dest == 0) {
      p->v6.addr[0] = 0xfe;
      p->v6.addr[1] = 0x80;
      r->DestinationPrefix.PrefixLength = 64;
    } else if (dest >= 2) {
      p->v6.addr[0] = 0x20;
      p->v6.addr[1] = 0x01;
      p->v6.addr[2] = 0x0d;
      p->v6.addr[3] = 0xb8;
      p->v6.addr[4] = (uint8_t)(dest >> 8);
      p->v6.addr[5] = (uint8_t)dest;
      r->DestinationPrefix.PrefixLength = 48;
    }
    r->NextHop.v6.family = 23;
    if (dest != 0) {
      r->NextHop.v6.addr[0] = 0xfe;
      r->NextHop.v6.addr[1] = 0x80;
      r->NextHop.v6.addr[13] = (uint8_t)index;
      r->NextHop.v6.addr[15] = 0xfe;
    }
  } else {
    p->v4.family = 2;
    if (dest == 0) {
      p->v4.addr[0] = 10;
      p->v4.addr[2] = (uint8_t)index;
      r->DestinationPrefix.PrefixLength = 24;
    } else if (dest >= 2) {
      p->v4.addr[0] = 10;
      p->v4.addr[1] = (uint8_t)dest;
      r->DestinationPrefix.PrefixLength = 16;
    }
    r->NextHop.v4.family = 2;
    if (dest != 0) {
      r->NextHop.v4.addr[0] = 10;
      r->NextHop.v4.addr[2] = (uint8_t)index;
      r->NextHop.v4.addr[3] = 254;
    }
  }
  r->SitePrefixLength = 0;
  r->ValidLifetime = 0xFFFFFFFFu;
  r->PreferredLifetime = 0xFFFFFFFFu;
  r->Metric = dest == 0 ? 256 : dest == 1 ? 0 : 10 * dest;
  r->Protocol = dest == 0 ? 2 : 3;
  r->Loopback = index == 1;
  r->AutoconfigureAddress = 0;
  r->Publish = 0;
  r->Immortal = dest != 1;
  r->Age = 100 * index + dest;
  r->Origin = dest == 0 ? 1 : 0;
}

static void reset_addr_route_tables_locked(void) {
  memset(g_addrs, 0, sizeof g_addrs);
  memset(g_routes, 0, sizeof g_routes);
  int n = 0, m = 0;
  uint16_t families[2] = {2, 23};
  for (uint32_t index = 1; index <= 3; index++) {
    for (int f = 0; f < 2; f++) {
      g_addrs[n].used = 1;
      g_addrs[n].index = index;
      g_addrs[n].host = 1;
      fill_addr(&g_addrs[n].row, families[f], index, 1);
      n++;
      g_routes[m].used = 1;
      g_routes[m].index = index;
      g_routes[m].dest = 0;
      fill_route(&g_routes[m].row, families[f], index, 0);
      m++;
    }
  }
  for (int f = 0; f < 2; f++) {
    g_routes[m].used = 1;
    g_routes[m].index = 2;
    g_routes[m].dest = 1;
    fill_route(&g_routes[m].row, families[f], 2, 1);
    m++;
  }
}

static void reset_table_locked(void) {
  reset_addr_route_tables_locked();
  memset(g_ifs, 0, sizeof g_ifs);
  int n = 0;
  for (uint32_t index = 1; index <= 3; index++) {
    uint16_t families[2] = {2, 23};
    for (int f = 0; f < 2; f++) {
      g_ifs[n].used = 1;
      fill_row(&g_ifs[n].row, families[f], index);
      n++;
    }
  }
}

/* Runs at load (ELF constructor / DLL initialisation), before any thread can call an export. */
__attribute__((constructor)) static void fake_init(void) {
  mutex_init(&g_lock);
  cond_init(&g_cond);
  for (int i = 0; i < MAX_REGS; i++) cond_init(&g_reg_cond[i]);
  reset_table_locked();
}

static iface_t *find_if(uint16_t family, uint64_t luid, uint32_t index) {
  for (int i = 0; i < MAX_IFS; i++) {
    if (!g_ifs[i].used || g_ifs[i].row.Family != family) continue;
    if (luid != 0 ? g_ifs[i].row.InterfaceLuid == luid : g_ifs[i].row.InterfaceIndex == index) return &g_ifs[i];
  }
  return NULL;
}

static reg_t *find_reg(uint32_t id) {
  for (int i = 0; i < MAX_REGS; i++)
    if (g_regs[i].used && g_regs[i].id == id) return &g_regs[i];
  return NULL;
}

static int take_error(int fn, uint32_t *code) {
  if (g_next_error[fn] == 0) return 0;
  *code = g_next_error[fn];
  g_next_error[fn] = 0;
  return 1;
}

/* `row` is a FAKE_ROW (K_IFACE), FAKE_ADDR_ROW or FAKE_ROUTE_ROW, of `size` bytes. */
static event_t *new_event(uint32_t target, int32_t type, int kind, uint16_t family, const void *row, size_t size) {
  event_t *e = calloc(1, sizeof *e);
  e->target = target;
  e->type = type;
  e->kind = kind;
  e->family = family;
  if (row) memcpy(&e->row, row, size);
  return e;
}

static int event_matches(const reg_t *r, const event_t *e) {
  if (r->kind != e->kind) return 0;
  if (e->target != 0 && r->id != e->target) return 0;
  return e->type == INITIAL || r->family == 0 || r->family == e->family;
}

static void reg_push_locked(int slot, event_t *e) {
  reg_t *r = &g_regs[slot];
  if (r->qtail) r->qtail->next = e;
  else r->qhead = e;
  r->qtail = e;
  cond_broadcast(&g_reg_cond[slot]);
}

static void enqueue_kind_locked(uint32_t target, int32_t type, int kind, uint16_t family, const void *row, size_t size) {
  int serialized = 0;
  event_t probe;
  memset(&probe, 0, sizeof probe);
  probe.target = target;
  probe.type = type;
  probe.kind = kind;
  probe.family = family;
  for (int i = 0; i < MAX_REGS; i++) {
    reg_t *r = &g_regs[i];
    if (!r->used) continue;
    if (!r->threaded) {
      serialized = 1;
      continue;
    }
    if (r->cancelled || !event_matches(r, &probe)) continue;
    reg_push_locked(i, new_event(target, type, kind, family, row, size));
  }
  /* The serialized delivery thread serves the registrations without a thread of their own. */
  if (!serialized) return;
  event_t *e = new_event(target, type, kind, family, row, size);
  if (g_tail) g_tail->next = e;
  else g_head = e;
  g_tail = e;
  cond_broadcast(&g_cond);
}

static void enqueue_locked(uint32_t target, int32_t type, const FAKE_ROW *row) {
  enqueue_kind_locked(target, type, K_IFACE, row ? row->Family : 0, row, sizeof *row);
}


/* Calls r's callback with the lock released, the way both kinds of delivery thread do. */
static void call_locked(reg_t *r, const event_t *e) {
  FAKE_ROW row = e->row;
  if (g_sparse && e->type != INITIAL && e->kind == K_IFACE) {
    /* Windows: only Family, InterfaceLuid and InterfaceIndex are reliable; the rest is junk. */
    memset(&row, 0xCC, sizeof row);
    row.Family = e->row.Family;
    row.InterfaceLuid = e->row.InterfaceLuid;
    row.InterfaceIndex = e->row.InterfaceIndex;
  } else if (g_sparse && e->type != INITIAL && e->kind == K_ADDR) {
    /* Only the keys: Address, InterfaceLuid, InterfaceIndex (GetUnicastIpAddressEntry gives the rest). */
    const FAKE_ADDR_ROW *full = (const FAKE_ADDR_ROW *)&e->row;
    FAKE_ADDR_ROW *sparse = (FAKE_ADDR_ROW *)&row;
    memset(&row, 0xCC, sizeof row);
    sparse->Address = full->Address;
    sparse->InterfaceLuid = full->InterfaceLuid;
    sparse->InterfaceIndex = full->InterfaceIndex;
  } else if (g_sparse && e->type != INITIAL && e->kind == K_ROUTE) {
    /* Only the keys: DestinationPrefix, NextHop, InterfaceLuid, InterfaceIndex (GetIpForwardEntry2 gives the rest). */
    const FAKE_ROUTE_ROW *full = (const FAKE_ROUTE_ROW *)&e->row;
    FAKE_ROUTE_ROW *sparse = (FAKE_ROUTE_ROW *)&row;
    memset(&row, 0xCC, sizeof row);
    sparse->DestinationPrefix = full->DestinationPrefix;
    sparse->NextHop = full->NextHop;
    sparse->InterfaceLuid = full->InterfaceLuid;
    sparse->InterfaceIndex = full->InterfaceIndex;
  }
  r->in_flight = 1;
  g_in_flight++;
  if (g_in_flight > g_in_flight_max) g_in_flight_max = g_in_flight;
  cond_broadcast(&g_cond);
  change_callback cb = r->callback;
  void *ctx = r->context;
  mutex_unlock(&g_lock);
  uint64_t t0 = now_ns();
  cb(ctx, e->type == INITIAL ? NULL : &row, e->type);
  uint64_t dt = now_ns() - t0;
  mutex_lock(&g_lock);
  g_cb_count++;
  g_cb_ns_total += dt;
  if (dt > g_cb_ns_max) g_cb_ns_max = dt;
  r->in_flight = 0;
  g_in_flight--;
  if (e->type == INITIAL) r->initial_delivered = 1;
  cond_broadcast(&g_cond);
}

static void free_queue_locked(reg_t *r) {
  while (r->qhead) {
    event_t *e = r->qhead;
    r->qhead = e->next;
    free(e);
  }
  r->qtail = NULL;
}

/* The next continuous notification of r: a parameter change of the next interface of its family. */
static int continuous_event_locked(reg_t *r, event_t *out) {
  if (r->kind == K_ADDR) {
    for (int tries = 0; tries < MAX_ADDRS; tries++) {
      addr_t *a = &g_addrs[r->tick++ % MAX_ADDRS];
      if (!a->used || (r->family != 0 && a->row.Address.family != r->family)) continue;
      memset(out, 0, sizeof *out);
      out->type = PARAMETER;
      out->kind = K_ADDR;
      out->family = a->row.Address.family;
      memcpy(&out->row, &a->row, sizeof a->row);
      return 1;
    }
    return 0;
  }
  if (r->kind == K_ROUTE) {
    for (int tries = 0; tries < MAX_ROUTES; tries++) {
      route_t *t = &g_routes[r->tick++ % MAX_ROUTES];
      if (!t->used || (r->family != 0 && t->row.DestinationPrefix.Prefix.family != r->family)) continue;
      memset(out, 0, sizeof *out);
      out->type = PARAMETER;
      out->kind = K_ROUTE;
      out->family = t->row.DestinationPrefix.Prefix.family;
      memcpy(&out->row, &t->row, sizeof t->row);
      return 1;
    }
    return 0;
  }
  for (int tries = 0; tries < MAX_IFS; tries++) {
    iface_t *it = &g_ifs[r->tick++ % MAX_IFS];
    if (!it->used || (r->family != 0 && it->row.Family != r->family)) continue;
    memset(out, 0, sizeof *out);
    out->type = PARAMETER;
    out->kind = K_IFACE;
    out->family = it->row.Family;
    out->row = it->row;
    return 1;
  }
  return 0;
}

/* A registration's own thread (Windows runs callbacks on its worker threads, many at once). */
static void reg_loop(int slot) {
  mutex_lock(&g_lock);
  reg_t *r = &g_regs[slot];
  uint32_t id = r->id;
  g_reg_threads++;
  uint64_t next = now_ns();
  for (;;) {
    if (!r->used || r->id != id || r->cancelled) break;
    event_t *e = r->qhead;
    if (e) {
      r->qhead = e->next;
      if (!r->qhead) r->qtail = NULL;
      call_locked(r, e);
      free(e);
      continue;
    }
    if (g_rate_per_second > 0) {
      uint64_t now = now_ns();
      if (now >= next) {
        uint64_t period = 1000000000ull / (uint64_t)g_rate_per_second;
        next = (next + period < now) ? now + period : next + period;
        event_t c;
        if (continuous_event_locked(r, &c)) call_locked(r, &c);
        continue;
      }
      uint32_t ms = (uint32_t)((next - now) / 1000000u);
      cond_wait_ms(&g_reg_cond[slot], &g_lock, ms == 0 ? 1 : ms);
    } else {
      cond_wait(&g_reg_cond[slot], &g_lock);
    }
  }
  g_reg_threads--;
  cond_broadcast(&g_cond);
  mutex_unlock(&g_lock);
}

static void delivery_loop(void) {
  mutex_lock(&g_lock);
  for (;;) {
    while (!g_head) cond_wait(&g_cond, &g_lock);
    if (g_delivery_delay_ms > 0) {
      int delay = g_delivery_delay_ms;
      mutex_unlock(&g_lock);
      sleep_ms(delay);
      mutex_lock(&g_lock);
    }
    event_t *e = g_head;
    g_head = e->next;
    if (!g_head) g_tail = NULL;
    for (int i = 0; i < MAX_REGS; i++) {
      reg_t *r = &g_regs[i];
      if (!r->used || r->cancelled || r->threaded) continue;
      if (!event_matches(r, e)) continue;
      call_locked(r, e);
    }
    free(e);
    cond_broadcast(&g_cond);
  }
}

#ifdef _WIN32
static DWORD WINAPI delivery_main_win(LPVOID arg) {
  (void)arg;
  delivery_loop();
  return 0;
}
static DWORD WINAPI reg_main_win(LPVOID arg) {
  reg_loop((int)(uintptr_t)arg);
  return 0;
}
#else
static void *delivery_main_posix(void *arg) {
  (void)arg;
  delivery_loop();
  return NULL;
}
static void *reg_main_posix(void *arg) {
  reg_loop((int)(uintptr_t)arg);
  return NULL;
}
#endif

/* ---- the iphlpapi exports ---- */

/* NotifyIpInterfaceChange, NotifyUnicastIpAddressChange and NotifyRouteChange2: the same registration. */
static uint32_t register_kind(int kind, int error_fn, uint16_t family, change_callback callback, void *context, uint8_t initial, void **handle) {
  if (family != 0 && family != 2 && family != 23) return 87;
  if (!callback || !handle) return 87;
  if (g_register_delay_ms > 0) sleep_ms(g_register_delay_ms);
  mutex_lock(&g_lock);
  uint32_t code;
  if (take_error(error_fn, &code)) {
    mutex_unlock(&g_lock);
    return code;
  }
  if (g_null_handle) {
    /* Wine 8.0: success, NULL handle, never calls back. */
    *handle = NULL;
    mutex_unlock(&g_lock);
    return 0;
  }
  reg_t *r = NULL;
  int slot = -1;
  for (int i = 0; i < MAX_REGS && !r; i++)
    if (!g_regs[i].used) r = &g_regs[slot = i];
  if (!r) {
    mutex_unlock(&g_lock);
    return 8;
  }
  if (g_thread_per_reg) {
    memset(r, 0, sizeof *r);
    r->used = 1; /* the thread starts blocked on g_lock and reads its id after we set it below */
    r->threaded = 1;
    if (!start_reg_thread((uintptr_t)slot)) {
      memset(r, 0, sizeof *r);
      mutex_unlock(&g_lock);
      return 8;
    }
  } else if (!g_thread_started) {
    if (!start_thread()) {
      mutex_unlock(&g_lock);
      return 8;
    }
    g_thread_started = 1;
  }
  int threaded = r->threaded;
  memset(r, 0, sizeof *r);
  r->used = 1;
  r->threaded = threaded;
  r->kind = kind;
  r->id = g_next_id++;
  r->family = family;
  r->callback = callback;
  r->context = context;
  g_registrations_total++;
  int live = 0;
  for (int i = 0; i < MAX_REGS; i++) live += g_regs[i].used;
  if (live > g_live_max) g_live_max = live;
  uint32_t id = r->id;
  if (initial) enqueue_kind_locked(id, INITIAL, kind, 0, NULL, 0);
  if (initial && g_wait_initial) {
    while (r->used && r->id == id && !r->initial_delivered) cond_wait(&g_cond, &g_lock);
  }
  *handle = (void *)(uintptr_t)id;
  int return_delay = g_return_delay_ms;
  /* Registered but not yet returned: callbacks may come before the caller has its handle. */
  while (g_hold_return) {
    mutex_unlock(&g_lock);
    sleep_ms(1);
    mutex_lock(&g_lock);
  }
  mutex_unlock(&g_lock);
  if (return_delay > 0) sleep_ms(return_delay);
  return 0;
}

EXPORT uint32_t WINAPI NotifyIpInterfaceChange(uint16_t family, change_callback callback, void *context, uint8_t initial, void **handle) {
  return register_kind(K_IFACE, E_NOTIFY, family, callback, context, initial, handle);
}

EXPORT uint32_t WINAPI CancelMibChangeNotify2(void *handle) {
  mutex_lock(&g_lock);
  int cancel_delay = g_cancel_delay_ms;
  mutex_unlock(&g_lock);
  if (cancel_delay > 0) sleep_ms(cancel_delay);
  mutex_lock(&g_lock);
  uint32_t code;
  if (take_error(E_CANCEL, &code)) {
    mutex_unlock(&g_lock);
    return code;
  }
  reg_t *r = find_reg((uint32_t)(uintptr_t)handle);
  if (!r || r->cancelled) {
    mutex_unlock(&g_lock);
    return 6;
  }
  r->cancelled = 1;
  cond_broadcast(&g_reg_cond[r - g_regs]);
  /* Like Windows: wait for the callback in flight (deadlocks when called from that callback). */
  while (r->in_flight) cond_wait(&g_cond, &g_lock);
  free_queue_locked(r);
  memset(r, 0, sizeof *r);
  cond_broadcast(&g_cond);
  mutex_unlock(&g_lock);
  return 0;
}

#ifndef FAKE_MINIMAL
EXPORT void WINAPI InitializeIpInterfaceEntry(FAKE_ROW *row) {
  memset(row, 0, sizeof *row);
  row->RouterDiscoveryBehavior = -1;
  row->LinkLocalAddressBehavior = -1;
}

EXPORT uint32_t WINAPI GetIpInterfaceEntry(FAKE_ROW *row) {
  if (!row || (row->Family != 2 && row->Family != 23)) return 87;
  mutex_lock(&g_lock);
  g_entry_calls++;
  uint32_t code;
  if (take_error(E_ENTRY, &code)) {
    mutex_unlock(&g_lock);
    return code;
  }
  iface_t *it = g_entry_not_found ? NULL : find_if(row->Family, row->InterfaceLuid, row->InterfaceIndex);
  if (it) *row = it->row;
  mutex_unlock(&g_lock);
  return it ? 0 : 1168;
}

EXPORT uint32_t WINAPI GetIpInterfaceTable(uint16_t family, void **table) {
  if (family != 0 && family != 2 && family != 23) return 87;
  if (!table) return 87;
  mutex_lock(&g_lock);
  uint32_t code;
  if (take_error(E_TABLE, &code)) {
    mutex_unlock(&g_lock);
    return code;
  }
  uint8_t *mem = calloc(1, 8 + MAX_IFS * sizeof(FAKE_ROW));
  uint32_t n = 0;
  for (int i = 0; i < MAX_IFS; i++) {
    if (!g_ifs[i].used || (family != 0 && g_ifs[i].row.Family != family)) continue;
    memcpy(mem + 8 + n * sizeof(FAKE_ROW), &g_ifs[i].row, sizeof(FAKE_ROW));
    n++;
  }
  memcpy(mem, &n, 4);
  g_outstanding_tables++;
  *table = mem;
  mutex_unlock(&g_lock);
  return 0;
}

EXPORT void WINAPI FreeMibTable(void *memory) {
  if (!memory) return;
  mutex_lock(&g_lock);
  g_outstanding_tables--;
  mutex_unlock(&g_lock);
  free(memory);
}

static uint32_t put_utf16(uint16_t *out, size_t capacity, const char *text) {
  size_t n = strlen(text);
  if (n + 1 > capacity) return 8;
  for (size_t i = 0; i <= n; i++) out[i] = (uint16_t)(unsigned char)text[i];
  return 0;
}

EXPORT uint32_t WINAPI ConvertInterfaceLuidToNameW(const uint64_t *luid, uint16_t *name, size_t length) {
  if (!luid || !name) return 87;
  mutex_lock(&g_lock);
  g_name_calls++;
  uint32_t code;
  int failed = take_error(E_NAME, &code);
  mutex_unlock(&g_lock);
  if (failed) return code;
  uint64_t if_type = *luid >> 48;
  uint64_t net_luid_index = (*luid >> 24) & 0xFFFFFF;
  const char *kind = if_type == 24 ? "loopback" : if_type == 6 ? "ethernet" : if_type == 71 ? "wireless" : "other";
  char text[64];
  snprintf(text, sizeof text, "%s_%llu", kind, (unsigned long long)net_luid_index);
  return put_utf16(name, length, text);
}

/* ---- addresses and routes ---- */

static int sockaddr_equal(const FAKE_SOCKADDR_INET *a, const FAKE_SOCKADDR_INET *b) {
  if (a->family != b->family) return 0;
  if (a->family == 2) return memcmp(a->v4.addr, b->v4.addr, 4) == 0;
  if (a->family == 23) return memcmp(a->v6.addr, b->v6.addr, 16) == 0;
  return 0;
}

/* Like Windows: the address, and the interface by LUID or (LUID 0) by index. */
static addr_t *find_addr_row(const FAKE_ADDR_ROW *key) {
  for (int i = 0; i < MAX_ADDRS; i++) {
    addr_t *a = &g_addrs[i];
    if (!a->used || !sockaddr_equal(&a->row.Address, &key->Address)) continue;
    if (key->InterfaceLuid != 0 ? a->row.InterfaceLuid == key->InterfaceLuid : a->row.InterfaceIndex == key->InterfaceIndex) return a;
  }
  return NULL;
}

static route_t *find_route_row(const FAKE_ROUTE_ROW *key) {
  for (int i = 0; i < MAX_ROUTES; i++) {
    route_t *t = &g_routes[i];
    if (!t->used || !sockaddr_equal(&t->row.DestinationPrefix.Prefix, &key->DestinationPrefix.Prefix)) continue;
    if (t->row.DestinationPrefix.PrefixLength != key->DestinationPrefix.PrefixLength || !sockaddr_equal(&t->row.NextHop, &key->NextHop)) continue;
    if (key->InterfaceLuid != 0 ? t->row.InterfaceLuid == key->InterfaceLuid : t->row.InterfaceIndex == key->InterfaceIndex) return t;
  }
  return NULL;
}

EXPORT uint32_t WINAPI NotifyUnicastIpAddressChange(uint16_t family, change_callback callback, void *context, uint8_t initial, void **handle) {
  return register_kind(K_ADDR, E_ADDR_NOTIFY, family, callback, context, initial, handle);
}

EXPORT uint32_t WINAPI NotifyRouteChange2(uint16_t family, change_callback callback, void *context, uint8_t initial, void **handle) {
  return register_kind(K_ROUTE, E_ROUTE_NOTIFY, family, callback, context, initial, handle);
}

EXPORT uint32_t WINAPI GetUnicastIpAddressEntry(FAKE_ADDR_ROW *row) {
  if (!row || (row->Address.family != 2 && row->Address.family != 23)) return 87;
  mutex_lock(&g_lock);
  g_entry_calls++;
  uint32_t code;
  if (take_error(E_ADDR_ENTRY, &code)) {
    mutex_unlock(&g_lock);
    return code;
  }
  addr_t *a = g_entry_not_found ? NULL : find_addr_row(row);
  if (a) *row = a->row;
  mutex_unlock(&g_lock);
  return a ? 0 : 1168;
}

EXPORT uint32_t WINAPI GetIpForwardEntry2(FAKE_ROUTE_ROW *row) {
  if (!row || (row->DestinationPrefix.Prefix.family != 2 && row->DestinationPrefix.Prefix.family != 23)) return 87;
  mutex_lock(&g_lock);
  g_entry_calls++;
  uint32_t code;
  if (take_error(E_ROUTE_ENTRY, &code)) {
    mutex_unlock(&g_lock);
    return code;
  }
  route_t *t = g_entry_not_found ? NULL : find_route_row(row);
  if (t) *row = t->row;
  mutex_unlock(&g_lock);
  return t ? 0 : 1168;
}

EXPORT uint32_t WINAPI GetUnicastIpAddressTable(uint16_t family, void **table) {
  if (family != 0 && family != 2 && family != 23) return 87;
  if (!table) return 87;
  mutex_lock(&g_lock);
  uint32_t code;
  if (take_error(E_ADDR_TABLE, &code)) {
    mutex_unlock(&g_lock);
    return code;
  }
  uint8_t *mem = calloc(1, 8 + MAX_ADDRS * sizeof(FAKE_ADDR_ROW));
  uint32_t n = 0;
  for (int i = 0; i < MAX_ADDRS; i++) {
    if (!g_addrs[i].used || (family != 0 && g_addrs[i].row.Address.family != family)) continue;
    memcpy(mem + 8 + n * sizeof(FAKE_ADDR_ROW), &g_addrs[i].row, sizeof(FAKE_ADDR_ROW));
    n++;
  }
  memcpy(mem, &n, 4);
  g_outstanding_tables++;
  *table = mem;
  mutex_unlock(&g_lock);
  return 0;
}

EXPORT uint32_t WINAPI GetIpForwardTable2(uint16_t family, void **table) {
  if (family != 0 && family != 2 && family != 23) return 87;
  if (!table) return 87;
  mutex_lock(&g_lock);
  uint32_t code;
  if (take_error(E_ROUTE_TABLE, &code)) {
    mutex_unlock(&g_lock);
    return code;
  }
  uint8_t *mem = calloc(1, 8 + MAX_ROUTES * sizeof(FAKE_ROUTE_ROW));
  uint32_t n = 0;
  for (int i = 0; i < MAX_ROUTES; i++) {
    if (!g_routes[i].used || (family != 0 && g_routes[i].row.DestinationPrefix.Prefix.family != family)) continue;
    memcpy(mem + 8 + n * sizeof(FAKE_ROUTE_ROW), &g_routes[i].row, sizeof(FAKE_ROUTE_ROW));
    n++;
  }
  memcpy(mem, &n, 4);
  g_outstanding_tables++;
  *table = mem;
  mutex_unlock(&g_lock);
  return 0;
}

static int prefix_matches(const FAKE_PREFIX *p, const FAKE_SOCKADDR_INET *a) {
  if (p->Prefix.family != a->family) return 0;
  const uint8_t *x = a->family == 2 ? p->Prefix.v4.addr : p->Prefix.v6.addr;
  const uint8_t *y = a->family == 2 ? a->v4.addr : a->v6.addr;
  unsigned bits = p->PrefixLength;
  for (unsigned i = 0; bits > 0; i++, bits = bits > 8 ? bits - 8 : 0) {
    uint8_t mask = bits >= 8 ? 0xFF : (uint8_t)(0xFF << (8 - bits));
    if ((x[i] & mask) != (y[i] & mask)) return 0;
  }
  return 1;
}

/* The longest matching prefix, then the lowest metric (the fake has no interface metrics); the source
 * is the interface's first address of that family. 1231 (ERROR_NETWORK_UNREACHABLE) when none matches. */
EXPORT uint32_t WINAPI GetBestRoute2(const uint64_t *luid, uint32_t index, const FAKE_SOCKADDR_INET *source, const FAKE_SOCKADDR_INET *destination,
                                     uint32_t options, FAKE_ROUTE_ROW *best, FAKE_SOCKADDR_INET *best_source) {
  (void)luid, (void)index, (void)source, (void)options;
  if (!destination || !best || !best_source || (destination->family != 2 && destination->family != 23)) return 87;
  mutex_lock(&g_lock);
  uint32_t code;
  if (take_error(E_BEST_ROUTE, &code)) {
    mutex_unlock(&g_lock);
    return code;
  }
  route_t *found = NULL;
  for (int i = 0; i < MAX_ROUTES; i++) {
    route_t *t = &g_routes[i];
    if (!t->used || !prefix_matches(&t->row.DestinationPrefix, destination)) continue;
    if (!found || t->row.DestinationPrefix.PrefixLength > found->row.DestinationPrefix.PrefixLength ||
        (t->row.DestinationPrefix.PrefixLength == found->row.DestinationPrefix.PrefixLength && t->row.Metric < found->row.Metric))
      found = t;
  }
  if (found) {
    *best = found->row;
    memset(best_source, 0, sizeof *best_source);
    for (int i = 0; i < MAX_ADDRS; i++)
      if (g_addrs[i].used && g_addrs[i].index == found->index && g_addrs[i].row.Address.family == destination->family) {
        *best_source = g_addrs[i].row.Address;
        break;
      }
  }
  mutex_unlock(&g_lock);
  return found ? 0 : 1231;
}

#ifndef _WIN32
/* kernel32's FormatMessageW, for the Linux tests that pass this library as the adapter's `kernel32`
 * (the DLL build leaves it out: there the real kernel32 has it). */
EXPORT uint32_t WINAPI FormatMessageW(uint32_t flags, const void *source, uint32_t id, uint32_t language, uint16_t *buffer,
                                      uint32_t size, void *args) {
  (void)flags, (void)source, (void)language, (void)args;
  if (id == 0xDEAD) return 0; /* "no message for this code" */
  char text[64];
  snprintf(text, sizeof text, "fake message for %u.\r\n", id);
  return put_utf16(buffer, size, text) == 0 ? (uint32_t)strlen(text) : 0;
}
#endif
#endif

/* ---- test controls ---- */

/* Queues a notification of `type` (0 parameter, 1 add, 2 delete) for interface `index` of `family`
 * (0: both families). add creates the interface, delete removes it. Returns the events queued. */
EXPORT int fake_trigger(uint16_t family, int32_t type, uint32_t index) {
  int queued = 0;
  mutex_lock(&g_lock);
  uint16_t families[2] = {2, 23};
  for (int f = 0; f < 2; f++) {
    if (family != 0 && family != families[f]) continue;
    iface_t *it = find_if(families[f], 0, index);
    FAKE_ROW row;
    if (type == ADD && !it) {
      for (int i = 0; i < MAX_IFS && !it; i++)
        if (!g_ifs[i].used) it = &g_ifs[i];
      if (!it) continue;
      it->used = 1;
      fill_row(&it->row, families[f], index);
    }
    if (it) row = it->row;
    else fill_row(&row, families[f], index);
    if (type == DELETE_ && it) it->used = 0;
    enqueue_locked(0, type, &row);
    queued++;
  }
  mutex_unlock(&g_lock);
  return queued;
}

/* Changes NlMtu of an interface and queues a parameter notification. Returns 0, or 1168 if absent. */
EXPORT int fake_set_mtu(uint16_t family, uint32_t index, uint32_t mtu) {
  mutex_lock(&g_lock);
  iface_t *it = find_if(family, 0, index);
  if (it) {
    it->row.NlMtu = mtu;
    enqueue_locked(0, PARAMETER, &it->row);
  }
  mutex_unlock(&g_lock);
  return it ? 0 : 1168;
}

/* An address change: `type` 1 adds address `host` of interface `index` (fixture formulas), 2 deletes it,
 * 0 changes it; then valid / preferred lifetimes and the DAD state are set where >= 0 (on add and change).
 * Queues the notification. Returns 0, 1168 when a change or delete finds no such address, 8 when full. */
EXPORT int fake_address_change(uint16_t family, int32_t type, uint32_t index, uint32_t host, int64_t valid, int64_t preferred, int32_t dad) {
  mutex_lock(&g_lock);
  addr_t *a = NULL;
  for (int i = 0; i < MAX_ADDRS && !a; i++)
    if (g_addrs[i].used && g_addrs[i].index == index && g_addrs[i].host == host && g_addrs[i].row.Address.family == family) a = &g_addrs[i];
  if (type == ADD && !a) {
    for (int i = 0; i < MAX_ADDRS && !a; i++)
      if (!g_addrs[i].used) a = &g_addrs[i];
    if (!a) {
      mutex_unlock(&g_lock);
      return 8;
    }
    a->used = 1;
    a->index = index;
    a->host = host;
    fill_addr(&a->row, family, index, host);
  }
  if (!a) {
    mutex_unlock(&g_lock);
    return 1168;
  }
  if (type != DELETE_) {
    if (valid >= 0) a->row.ValidLifetime = (uint32_t)valid;
    if (preferred >= 0) a->row.PreferredLifetime = (uint32_t)preferred;
    if (dad >= 0) a->row.DadState = dad;
  }
  FAKE_ADDR_ROW row = a->row;
  if (type == DELETE_) a->used = 0;
  enqueue_kind_locked(0, type, K_ADDR, family, &row, sizeof row);
  mutex_unlock(&g_lock);
  return 0;
}

/* A route change: `type` 1 adds route `dest` of interface `index` (fill_route), 2 deletes it, 0 changes
 * it; the metric is set where >= 0 (on add and change). Queues the notification. 0, 1168 or 8. */
EXPORT int fake_route_change(uint16_t family, int32_t type, uint32_t index, uint32_t dest, int64_t metric) {
  mutex_lock(&g_lock);
  route_t *t = NULL;
  for (int i = 0; i < MAX_ROUTES && !t; i++)
    if (g_routes[i].used && g_routes[i].index == index && g_routes[i].dest == dest && g_routes[i].row.DestinationPrefix.Prefix.family == family) t = &g_routes[i];
  if (type == ADD && !t) {
    for (int i = 0; i < MAX_ROUTES && !t; i++)
      if (!g_routes[i].used) t = &g_routes[i];
    if (!t) {
      mutex_unlock(&g_lock);
      return 8;
    }
    t->used = 1;
    t->index = index;
    t->dest = dest;
    fill_route(&t->row, family, index, dest);
  }
  if (!t) {
    mutex_unlock(&g_lock);
    return 1168;
  }
  if (type != DELETE_ && metric >= 0) t->row.Metric = (uint32_t)metric;
  FAKE_ROUTE_ROW row = t->row;
  if (type == DELETE_) t->used = 0;
  enqueue_kind_locked(0, type, K_ROUTE, family, &row, sizeof row);
  mutex_unlock(&g_lock);
  return 0;
}

/* The next call of function `fn` (0 NotifyIpInterfaceChange, 1 Cancel, 2 GetIpInterfaceTable, 3 GetIpInterfaceEntry,
 * 4 LuidToName, 5 NotifyUnicastIpAddressChange, 6 GetUnicastIpAddressEntry, 7 GetUnicastIpAddressTable,
 * 8 NotifyRouteChange2, 9 GetIpForwardEntry2, 10 GetIpForwardTable2, 11 GetBestRoute2) returns `code`. */
EXPORT void fake_set_next_error(int32_t fn, uint32_t code) {
  if (fn < 0 || fn >= E_COUNT) return;
  mutex_lock(&g_lock);
  g_next_error[fn] = code;
  mutex_unlock(&g_lock);
}

/* option: 0 register waits for its own initial callback, 1 Wine's NULL handle, 2 sparse rows,
 * 3 GetIpInterfaceEntry says ERROR_NOT_FOUND, 4 register sleeps `value` ms first, 5 the delivery
 * thread sleeps `value` ms before each event, 6 register sleeps `value` ms after registering,
 * 7 register does not return (after registering) while `value` is non-zero, 8 each new registration
 * gets its own delivery thread (Windows' worker threads: callbacks of different registrations run
 * concurrently), 9 every registration with its own thread delivers `value` parameter notifications
 * per second (round-robin over the interfaces of its family) on top of the triggered ones,
 * 10 CancelMibChangeNotify2 sleeps `value` ms first. */
EXPORT void fake_set_option(int32_t option, int32_t value) {
  mutex_lock(&g_lock);
  switch (option) {
    case 0: g_wait_initial = value; break;
    case 1: g_null_handle = value; break;
    case 2: g_sparse = value; break;
    case 3: g_entry_not_found = value; break;
    case 4: g_register_delay_ms = value; break;
    case 5: g_delivery_delay_ms = value; break;
    case 6: g_return_delay_ms = value; break;
    case 7: g_hold_return = value; break;
    case 8: g_thread_per_reg = value; break;
    case 10: g_cancel_delay_ms = value; break;
    case 9:
      g_rate_per_second = value < 0 ? 0 : value;
      for (int i = 0; i < MAX_REGS; i++) cond_broadcast(&g_reg_cond[i]);
      break;
    default: break;
  }
  mutex_unlock(&g_lock);
}

/* Restores the fixture table, options and errors, and restarts the "most at once" stats from now
 * (registrations are left alone). */
EXPORT void fake_reset(void) {
  mutex_lock(&g_lock);
  g_live_max = 0;
  for (int i = 0; i < MAX_REGS; i++) g_live_max += g_regs[i].used;
  g_in_flight_max = g_in_flight;
  reset_table_locked();
  memset(g_next_error, 0, sizeof g_next_error);
  g_wait_initial = g_null_handle = g_entry_not_found = g_register_delay_ms = g_delivery_delay_ms = g_return_delay_ms = g_hold_return = 0;
  g_thread_per_reg = g_rate_per_second = g_cancel_delay_ms = 0;
  for (int i = 0; i < MAX_REGS; i++) cond_broadcast(&g_reg_cond[i]);
  g_sparse = 1;
  mutex_unlock(&g_lock);
}

/* Cancels every registration natively (waits for callbacks in flight: call it asynchronously).
 * For cleaning up after a test made CancelMibChangeNotify2 fail. Returns how many were cancelled. */
EXPORT int fake_cancel_all(void) {
  int n = 0;
  mutex_lock(&g_lock);
  for (int i = 0; i < MAX_REGS; i++) {
    reg_t *r = &g_regs[i];
    if (!r->used || r->cancelled) continue;
    r->cancelled = 1;
    cond_broadcast(&g_reg_cond[i]);
    while (r->in_flight) cond_wait(&g_cond, &g_lock);
    free_queue_locked(r);
    memset(r, 0, sizeof *r);
    n++;
  }
  cond_broadcast(&g_cond);
  mutex_unlock(&g_lock);
  return n;
}

EXPORT int fake_live_registrations(void) {
  int n = 0;
  mutex_lock(&g_lock);
  for (int i = 0; i < MAX_REGS; i++) n += g_regs[i].used;
  mutex_unlock(&g_lock);
  return n;
}

EXPORT int fake_outstanding_tables(void) {
  mutex_lock(&g_lock);
  int n = g_outstanding_tables;
  mutex_unlock(&g_lock);
  return n;
}

/* Blocks (polling) until a callback is in flight, i.e. the delivery thread is inside a callback.
 * Returns 1, or 0 after timeout_ms. Does not wait for the callback: safe to call from JS. */
EXPORT int fake_wait_in_flight(int32_t timeout_ms) {
  for (int waited = 0;; waited++) {
    mutex_lock(&g_lock);
    int busy = g_in_flight > 0;
    mutex_unlock(&g_lock);
    if (busy) return 1;
    if (waited >= timeout_ms) return 0;
    sleep_ms(1);
  }
}

/* stat: 0 callbacks delivered, 1 total ns blocked in callbacks, 2 max ns, 3 registrations ever made,
 * 4 most callbacks in flight at once, 5 registration threads running, 6 most registrations live at once,
 * 7 GetIpInterfaceEntry calls, 8 ConvertInterfaceLuidToNameW calls. */
EXPORT uint64_t fake_stat(int32_t stat) {
  mutex_lock(&g_lock);
  uint64_t v = stat == 0   ? g_cb_count
               : stat == 1 ? g_cb_ns_total
               : stat == 2 ? g_cb_ns_max
               : stat == 3 ? g_registrations_total
               : stat == 4 ? (uint64_t)g_in_flight_max
               : stat == 5 ? (uint64_t)g_reg_threads
               : stat == 6 ? (uint64_t)g_live_max
               : stat == 7 ? g_entry_calls
                           : g_name_calls;
  mutex_unlock(&g_lock);
  return v;
}

/* Writes the 168 bytes of the fixture row of (family, index), independent of any table change. */
EXPORT void fake_row_bytes(uint16_t family, uint32_t index, uint8_t *out) {
  FAKE_ROW row;
  fill_row(&row, family, index);
  memcpy(out, &row, sizeof row);
}
