/*
 * Built with x86_64-w64-mingw32-gcc against the real Windows headers and run under Wine by
 * wine.test.ts. Prints JSON: sizeof/offsetof of every MIB_IPINTERFACE_ROW field as the C compiler
 * lays it out, the names ConvertInterfaceLuidToNameW gives for the interfaces Wine has, and the
 * FormatMessageW texts of the codes the adapter maps. The koffi side under node.exe must agree.
 */
#include <winsock2.h>
#include <ws2ipdef.h>
#include <iphlpapi.h>
#include <netioapi.h>
#include <stddef.h>
#include <stdio.h>

#define FIELD(name) printf("%s\"%s\":%u", first ? "" : ",", #name, (unsigned)offsetof(MIB_IPINTERFACE_ROW, name)), first = 0

static void print_json_string(const WCHAR *text) {
  char utf8[2048];
  int n = WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, sizeof utf8, NULL, NULL);
  putchar('"');
  for (int i = 0; i < n - 1; i++) {
    unsigned char c = (unsigned char)utf8[i];
    if (c == '"' || c == '\\') printf("\\%c", c);
    else if (c == '\n') printf("\\n");
    else if (c == '\r') printf("\\r");
    else if (c < 0x20) printf("\\u%04x", c);
    else putchar(c);
  }
  putchar('"');
}

int main(void) {
  int first = 1;
  printf("{\"size\":%u,\"align\":%u,\"offsets\":{", (unsigned)sizeof(MIB_IPINTERFACE_ROW), (unsigned)__alignof__(MIB_IPINTERFACE_ROW));
  FIELD(Family); FIELD(InterfaceLuid); FIELD(InterfaceIndex); FIELD(MaxReassemblySize); FIELD(InterfaceIdentifier);
  FIELD(MinRouterAdvertisementInterval); FIELD(MaxRouterAdvertisementInterval); FIELD(AdvertisingEnabled);
  FIELD(ForwardingEnabled); FIELD(WeakHostSend); FIELD(WeakHostReceive); FIELD(UseAutomaticMetric);
  FIELD(UseNeighborUnreachabilityDetection); FIELD(ManagedAddressConfigurationSupported);
  FIELD(OtherStatefulConfigurationSupported); FIELD(AdvertiseDefaultRoute); FIELD(RouterDiscoveryBehavior);
  FIELD(DadTransmits); FIELD(BaseReachableTime); FIELD(RetransmitTime); FIELD(PathMtuDiscoveryTimeout);
  FIELD(LinkLocalAddressBehavior); FIELD(LinkLocalAddressTimeout); FIELD(ZoneIndices); FIELD(SitePrefixLength);
  FIELD(Metric); FIELD(NlMtu); FIELD(Connected); FIELD(SupportsWakeUpPatterns); FIELD(SupportsNeighborDiscovery);
  FIELD(SupportsRouterDiscovery); FIELD(ReachableTime); FIELD(TransmitOffload); FIELD(ReceiveOffload);
  FIELD(DisableDefaultRoutes);
  printf("},\"tableRowsOffset\":%u", (unsigned)offsetof(MIB_IPINTERFACE_TABLE, Table));

  printf(",\"interfaces\":[");
  first = 1;
  for (NET_IFINDEX index = 1; index <= 64; index++) {
    NET_LUID luid;
    if (ConvertInterfaceIndexToLuid(index, &luid) != NO_ERROR) continue;
    WCHAR name[NDIS_IF_MAX_STRING_SIZE + 1];
    if (ConvertInterfaceLuidToNameW(&luid, name, NDIS_IF_MAX_STRING_SIZE + 1) != NO_ERROR) continue;
    printf("%s{\"index\":%lu,\"luid\":\"%llu\",\"name\":", first ? "" : ",", (unsigned long)index, (unsigned long long)luid.Value);
    print_json_string(name);
    putchar('}');
    first = 0;
  }
  printf("],\"messages\":{");
  DWORD codes[] = {6, 8, 50, 87, 1168};
  first = 1;
  for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    WCHAR text[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, codes[i], 0, text, 512, NULL);
    if (n == 0) continue;
    printf("%s\"%lu\":", first ? "" : ",", (unsigned long)codes[i]);
    print_json_string(text);
    first = 0;
  }
  printf("}}\n");
  return 0;
}
