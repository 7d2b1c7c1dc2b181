/*
 * Built with x86_64-w64-mingw32-gcc against the real Windows headers and run under Wine by
 * address-route-layout.test.ts. Prints JSON: sizeof/alignof/offsetof of every field of SOCKADDR_IN,
 * SOCKADDR_IN6, SOCKADDR_INET, IP_ADDRESS_PREFIX, MIB_UNICASTIPADDRESS_ROW and MIB_IPFORWARD_ROW2 as
 * the C compiler lays them out, and the rows GetUnicastIpAddressTable / GetIpForwardTable2 return:
 * raw bytes in hex plus every field as C reads it (addresses through inet_ntop), for the decoders
 * to be compared with. InitializeUnicastIpAddressEntry is never called: Wine 8 does not implement it
 * and the call kills the process.
 */
#define _WIN32_WINNT 0x0A00
#include <winsock2.h>
#include <ws2tcpip.h>
#include <ws2ipdef.h>
#include <iphlpapi.h>
#include <netioapi.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static int first;
#define BEGIN(type) printf("%s\"%s\":{\"size\":%u,\"align\":%u,\"offsets\":{", first ? "" : ",", #type, (unsigned)sizeof(type), (unsigned)__alignof__(type)), first = 1
#define FIELD(type, path, name) printf("%s\"%s\":%u", first ? "" : ",", name, (unsigned)offsetof(type, path)), first = 0
#define END() printf("}}"), first = 0

static void hex(const void *p, size_t n) {
  const unsigned char *b = p;
  putchar('"');
  for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
  putchar('"');
}

static void text(const SOCKADDR_INET *a) {
  char s[INET6_ADDRSTRLEN] = "";
  if (a->si_family == AF_INET) inet_ntop(AF_INET, (void *)&a->Ipv4.sin_addr, s, sizeof s);
  else if (a->si_family == AF_INET6) inet_ntop(AF_INET6, (void *)&a->Ipv6.sin6_addr, s, sizeof s);
  printf("\"%s\"", s);
}

/* What a Notify* callback saw (the functions are looked up with GetProcAddress: a missing export must not stop the probe). */
static volatile LONG cb_count;
static DWORD cb_thread;
static int cb_type = -1, cb_row_null = -1;
static VOID WINAPI on_change(PVOID context, PVOID row, MIB_NOTIFICATION_TYPE type) {
  (void)context;
  InterlockedIncrement(&cb_count);
  cb_thread = GetCurrentThreadId();
  cb_type = (int)type;
  cb_row_null = row == NULL;
}
typedef DWORD(WINAPI *notify_fn)(ADDRESS_FAMILY, PVOID, PVOID, BOOLEAN, HANDLE *);
typedef DWORD(WINAPI *best_fn)(const NET_LUID *, NET_IFINDEX, const SOCKADDR_INET *, const SOCKADDR_INET *, ULONG, PMIB_IPFORWARD_ROW2, SOCKADDR_INET *);
typedef DWORD(WINAPI *entry_fn)(PMIB_IPFORWARD_ROW2);

/* Notify*(AF_UNSPEC, InitialNotification TRUE): status, handle, callbacks before it returned and 300 ms later, on which thread, the cancel. */
static void probe_notify(HMODULE lib, const char *name) {
  notify_fn fn = (notify_fn)(void *)GetProcAddress(lib, name);
  printf(",\"%s\":{\"exported\":%d", name, fn != NULL);
  if (fn) {
    cb_count = 0, cb_thread = 0, cb_type = -1, cb_row_null = -1;
    HANDLE h = (HANDLE)(ULONG_PTR)1;
    DWORD st = fn(AF_UNSPEC, (PVOID)on_change, NULL, TRUE, &h);
    LONG at_return = cb_count;
    Sleep(300);
    DWORD cs = CancelMibChangeNotify2(h);
    printf(",\"status\":%lu,\"handleNull\":%d,\"callbacksAtReturn\":%ld,\"callbacksAfter300ms\":%ld,\"callerThread\":%d,\"type\":%d,\"rowNull\":%d,"
           "\"cancel\":%lu",
           (unsigned long)st, h == NULL, (long)at_return, (long)cb_count, cb_count > 0 ? cb_thread == GetCurrentThreadId() : -1, cb_type, cb_row_null,
           (unsigned long)cs);
  }
  printf("}");
}

int main(void) {
  WSADATA wsa;
  WSAStartup(MAKEWORD(2, 2), &wsa);
  printf("{\"layouts\":{");
  first = 1;
  BEGIN(SOCKADDR_IN); FIELD(SOCKADDR_IN, sin_family, "sin_family"); FIELD(SOCKADDR_IN, sin_port, "sin_port"); FIELD(SOCKADDR_IN, sin_addr, "sin_addr");
  FIELD(SOCKADDR_IN, sin_zero, "sin_zero"); END();
  BEGIN(SOCKADDR_IN6); FIELD(SOCKADDR_IN6, sin6_family, "sin6_family"); FIELD(SOCKADDR_IN6, sin6_port, "sin6_port");
  FIELD(SOCKADDR_IN6, sin6_flowinfo, "sin6_flowinfo"); FIELD(SOCKADDR_IN6, sin6_addr, "sin6_addr"); FIELD(SOCKADDR_IN6, sin6_scope_id, "sin6_scope_id"); END();
  BEGIN(SOCKADDR_INET); FIELD(SOCKADDR_INET, Ipv4, "Ipv4"); FIELD(SOCKADDR_INET, Ipv6, "Ipv6"); FIELD(SOCKADDR_INET, si_family, "si_family"); END();
  BEGIN(IP_ADDRESS_PREFIX); FIELD(IP_ADDRESS_PREFIX, Prefix, "Prefix"); FIELD(IP_ADDRESS_PREFIX, PrefixLength, "PrefixLength"); END();
  BEGIN(MIB_UNICASTIPADDRESS_ROW);
  FIELD(MIB_UNICASTIPADDRESS_ROW, Address, "Address"); FIELD(MIB_UNICASTIPADDRESS_ROW, InterfaceLuid, "InterfaceLuid");
  FIELD(MIB_UNICASTIPADDRESS_ROW, InterfaceIndex, "InterfaceIndex"); FIELD(MIB_UNICASTIPADDRESS_ROW, PrefixOrigin, "PrefixOrigin");
  FIELD(MIB_UNICASTIPADDRESS_ROW, SuffixOrigin, "SuffixOrigin"); FIELD(MIB_UNICASTIPADDRESS_ROW, ValidLifetime, "ValidLifetime");
  FIELD(MIB_UNICASTIPADDRESS_ROW, PreferredLifetime, "PreferredLifetime"); FIELD(MIB_UNICASTIPADDRESS_ROW, OnLinkPrefixLength, "OnLinkPrefixLength");
  FIELD(MIB_UNICASTIPADDRESS_ROW, SkipAsSource, "SkipAsSource"); FIELD(MIB_UNICASTIPADDRESS_ROW, DadState, "DadState");
  FIELD(MIB_UNICASTIPADDRESS_ROW, ScopeId, "ScopeId"); FIELD(MIB_UNICASTIPADDRESS_ROW, CreationTimeStamp, "CreationTimeStamp"); END();
  BEGIN(MIB_IPFORWARD_ROW2);
  FIELD(MIB_IPFORWARD_ROW2, InterfaceLuid, "InterfaceLuid"); FIELD(MIB_IPFORWARD_ROW2, InterfaceIndex, "InterfaceIndex");
  FIELD(MIB_IPFORWARD_ROW2, DestinationPrefix, "DestinationPrefix"); FIELD(MIB_IPFORWARD_ROW2, NextHop, "NextHop");
  FIELD(MIB_IPFORWARD_ROW2, SitePrefixLength, "SitePrefixLength"); FIELD(MIB_IPFORWARD_ROW2, ValidLifetime, "ValidLifetime");
  FIELD(MIB_IPFORWARD_ROW2, PreferredLifetime, "PreferredLifetime"); FIELD(MIB_IPFORWARD_ROW2, Metric, "Metric");
  FIELD(MIB_IPFORWARD_ROW2, Protocol, "Protocol"); FIELD(MIB_IPFORWARD_ROW2, Loopback, "Loopback");
  FIELD(MIB_IPFORWARD_ROW2, AutoconfigureAddress, "AutoconfigureAddress"); FIELD(MIB_IPFORWARD_ROW2, Publish, "Publish");
  FIELD(MIB_IPFORWARD_ROW2, Immortal, "Immortal"); FIELD(MIB_IPFORWARD_ROW2, Age, "Age"); FIELD(MIB_IPFORWARD_ROW2, Origin, "Origin"); END();
  printf("},\"nested\":{\"DestinationPrefix.PrefixLength\":%u,\"Address.Ipv6.sin6_scope_id\":%u}",
         (unsigned)offsetof(MIB_IPFORWARD_ROW2, DestinationPrefix.PrefixLength), (unsigned)offsetof(MIB_UNICASTIPADDRESS_ROW, Address.Ipv6.sin6_scope_id));
  printf(",\"tableRowsOffset\":{\"MIB_UNICASTIPADDRESS_TABLE\":%u,\"MIB_IPFORWARD_TABLE2\":%u}",
         (unsigned)offsetof(MIB_UNICASTIPADDRESS_TABLE, Table), (unsigned)offsetof(MIB_IPFORWARD_TABLE2, Table));

  PMIB_UNICASTIPADDRESS_TABLE ut = NULL;
  DWORD us = GetUnicastIpAddressTable(AF_UNSPEC, &ut);
  printf(",\"unicast\":{\"status\":%lu,\"rows\":[", (unsigned long)us);
  for (ULONG i = 0; us == NO_ERROR && i < ut->NumEntries; i++) {
    const MIB_UNICASTIPADDRESS_ROW *r = &ut->Table[i];
    printf("%s{\"hex\":", i ? "," : "");
    hex(r, sizeof *r);
    printf(",\"fields\":{\"family\":%u,\"address\":", (unsigned)r->Address.si_family);
    text(&r->Address);
    printf(",\"luid\":\"%llu\",\"index\":%lu,\"prefixOrigin\":%d,\"suffixOrigin\":%d,\"valid\":%lu,\"preferred\":%lu,\"onLink\":%u,\"skip\":%u,"
           "\"dad\":%d,\"scopeId\":%lu,\"created\":\"%lld\"}}",
           (unsigned long long)r->InterfaceLuid.Value, (unsigned long)r->InterfaceIndex, (int)r->PrefixOrigin, (int)r->SuffixOrigin,
           (unsigned long)r->ValidLifetime, (unsigned long)r->PreferredLifetime, (unsigned)r->OnLinkPrefixLength, (unsigned)r->SkipAsSource,
           (int)r->DadState, (unsigned long)r->ScopeId.Value, (long long)r->CreationTimeStamp.QuadPart);
  }
  printf("]}");
  // GetUnicastIpAddressEntry by Address + InterfaceLuid of the first row, on a row zeroed by hand.
  if (us == NO_ERROR && ut->NumEntries > 0) {
    MIB_UNICASTIPADDRESS_ROW q;
    memset(&q, 0, sizeof q);
    q.Address = ut->Table[0].Address;
    q.InterfaceLuid = ut->Table[0].InterfaceLuid;
    DWORD es = GetUnicastIpAddressEntry(&q);
    printf(",\"entry\":{\"status\":%lu,\"hex\":", (unsigned long)es);
    hex(&q, sizeof q);
    printf("}");
  }
  if (ut) FreeMibTable(ut);

  PMIB_IPFORWARD_TABLE2 ft = NULL;
  DWORD fs = GetIpForwardTable2(AF_UNSPEC, &ft);
  printf(",\"forward\":{\"status\":%lu,\"rows\":[", (unsigned long)fs);
  for (ULONG i = 0; fs == NO_ERROR && i < ft->NumEntries; i++) {
    const MIB_IPFORWARD_ROW2 *r = &ft->Table[i];
    printf("%s{\"hex\":", i ? "," : "");
    hex(r, sizeof *r);
    printf(",\"fields\":{\"family\":%u,\"prefix\":", (unsigned)r->DestinationPrefix.Prefix.si_family);
    text(&r->DestinationPrefix.Prefix);
    printf(",\"prefixLength\":%u,\"nextHopFamily\":%u,\"nextHop\":", (unsigned)r->DestinationPrefix.PrefixLength, (unsigned)r->NextHop.si_family);
    text(&r->NextHop);
    printf(",\"luid\":\"%llu\",\"index\":%lu,\"site\":%u,\"valid\":%lu,\"preferred\":%lu,\"metric\":%lu,\"protocol\":%d,\"loopback\":%u,"
           "\"autoconf\":%u,\"publish\":%u,\"immortal\":%u,\"age\":%lu,\"origin\":%d}}",
           (unsigned long long)r->InterfaceLuid.Value, (unsigned long)r->InterfaceIndex, (unsigned)r->SitePrefixLength,
           (unsigned long)r->ValidLifetime, (unsigned long)r->PreferredLifetime, (unsigned long)r->Metric, (int)r->Protocol,
           (unsigned)r->Loopback, (unsigned)r->AutoconfigureAddress, (unsigned)r->Publish, (unsigned)r->Immortal, (unsigned long)r->Age,
           (int)r->Origin);
  }
  printf("]}");
  HMODULE lib = LoadLibraryA("iphlpapi.dll");
  if (fs == NO_ERROR && ft->NumEntries > 0) {
    entry_fn entry = (entry_fn)(void *)GetProcAddress(lib, "GetIpForwardEntry2");
    printf(",\"forwardEntry\":{\"exported\":%d", entry != NULL);
    if (entry) {
      MIB_IPFORWARD_ROW2 q;
      memset(&q, 0, sizeof q);
      q.InterfaceLuid = ft->Table[0].InterfaceLuid;
      q.DestinationPrefix = ft->Table[0].DestinationPrefix;
      q.NextHop = ft->Table[0].NextHop;
      DWORD es = entry(&q);
      printf(",\"status\":%lu", (unsigned long)es);
    }
    printf("}");
  }
  if (ft) FreeMibTable(ft);
  probe_notify(lib, "NotifyUnicastIpAddressChange");
  probe_notify(lib, "NotifyRouteChange2");
  best_fn best = (best_fn)(void *)GetProcAddress(lib, "GetBestRoute2");
  printf(",\"GetBestRoute2\":{\"exported\":%d", best != NULL);
  if (best) {
    SOCKADDR_INET dst4, dst6, source;
    MIB_IPFORWARD_ROW2 row;
    memset(&dst4, 0, sizeof dst4);
    dst4.si_family = AF_INET;
    inet_pton(AF_INET, "192.0.2.1", &dst4.Ipv4.sin_addr);
    memset(&dst6, 0, sizeof dst6);
    dst6.si_family = AF_INET6;
    inet_pton(AF_INET6, "2001:db8::1", &dst6.Ipv6.sin6_addr);
    memset(&row, 0, sizeof row);
    DWORD b4 = best(NULL, 0, NULL, &dst4, 0, &row, &source);
    DWORD b6 = best(NULL, 0, NULL, &dst6, 0, &row, &source);
    printf(",\"inet\":%lu,\"inet6\":%lu", (unsigned long)b4, (unsigned long)b6);
  }
  printf("}}\n");
  return 0;
}
