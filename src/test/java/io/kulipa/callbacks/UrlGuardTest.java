package io.kulipa.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlGuardTest {

    private final UrlGuard production = new UrlGuard(false, Set.of("hooks.internal.example"));
    private final UrlGuard sandbox = new UrlGuard(true, Set.of());

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/cb", "http://localhost:8080/cb", "http://[::1]/cb",
            "http://10.1.2.3/cb", "http://192.168.0.10/cb", "http://172.16.5.4/cb", "http://169.254.169.254/latest",
            "http://100.64.0.1/cb", "http://0.0.0.0/cb", "http://[fd00::1]/cb", "ftp://example.com/cb",
            "file:///etc/passwd", "not a url"})
    void productionRefusesPrivateLoopbackAndOddTargets(String url) {
        assertThat(production.refusal(url)).as(url).isPresent();
    }

    /**
     * The addresses issue 13 found let through, then one address of every range of IANA's IPv4
     * and IPv6 special-purpose registries (and multicast), with the range the refusal names.
     */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            198.18.0.1                | Benchmarking
            192.0.0.1                 | IPv4 Service Continuity Prefix
            240.0.0.1                 | Reserved
            255.255.255.255           | Limited Broadcast
            [64:ff9b::7f00:1]         | NAT64) 64:ff9b::/96 carrying 127.0.0.1 (Loopback)
            [64:ff9b::a00:1]          | NAT64) 64:ff9b::/96 carrying 10.0.0.1 (Private-Use)
            [2002:7f00:1::]           | 6to4 2002::/16 carrying 127.0.0.1 (Loopback)
            [::127.0.0.1]             | IPv4-compatible Address (deprecated, RFC 4291) ::/96 carrying 127.0.0.1
            0.0.0.0                   | This host on this network
            0.1.2.3                   | This network
            10.20.30.40               | Private-Use
            100.127.255.254           | Shared Address Space
            127.10.0.1                | Loopback
            169.254.169.254           | Link Local
            172.31.255.255            | Private-Use
            192.0.0.8                 | IPv4 dummy address
            192.0.0.9                 | Port Control Protocol Anycast
            192.0.0.10                | Traversal Using Relays around NAT Anycast
            192.0.0.170               | NAT64/DNS64 Discovery
            192.0.0.171               | NAT64/DNS64 Discovery
            192.0.0.200               | IETF Protocol Assignments
            192.0.2.55                | TEST-NET-1
            192.31.196.1              | AS112-v4
            192.52.193.1              | AMT
            192.88.99.2               | 6a44-relay anycast address
            192.88.99.1               | 6to4 Relay Anycast
            192.168.1.1               | Private-Use
            192.175.48.1              | Direct Delegation AS112 Service
            198.19.255.255            | Benchmarking
            198.51.100.7              | TEST-NET-2
            203.0.113.9               | TEST-NET-3
            224.0.0.1                 | Multicast
            239.255.255.250           | Multicast
            255.255.255.254           | Reserved
            [::1]                     | Loopback
            [::]                      | Unspecified Address
            [::ffff:127.0.0.1]        | Loopback
            [::ffff:10.0.0.1]         | Private-Use
            [::ffff:169.254.169.254]  | Link Local
            [::0.0.0.2]               | IPv4-compatible
            [64:ff9b::808:808]        | NAT64
            [64:ff9b:1::a00:1]        | local use (NAT64)
            [100::1]                  | Discard-Only Address Block
            [100:0:0:1::1]            | Dummy IPv6 Prefix
            [2001:1::1]               | Port Control Protocol Anycast
            [2001:1::2]               | Traversal Using Relays around NAT Anycast
            [2001:1::3]               | DNS-SD Service Registration Protocol Anycast
            [2001:2::1]               | Benchmarking
            [2001:3::1]               | AMT
            [2001:4:112::1]           | AS112-v6
            [2001:10::1]              | ORCHID
            [2001:20::1]              | ORCHIDv2
            [2001:30::1]              | Drone Remote ID
            [2001::1]                 | TEREDO
            [2001:100::1]             | IETF Protocol Assignments
            [2001:db8::1]             | Documentation 2001:db8::/32
            [2002:808:808::1]         | 6to4
            [2620:4f:8000::1]         | Direct Delegation AS112 Service
            [3fff::1]                 | Documentation 3fff::/20
            [5f00::1]                 | Segment Routing
            [fc00::1]                 | Unique-Local
            [fdff:ffff::1]            | Unique-Local
            [fe80::1]                 | Link-Local Unicast
            [fec0::1]                 | Site-Local
            [ff02::1]                 | Multicast
            """)
    void productionRefusesEverySpecialPurposeRangeAndAllowListedHostsPass(String host, String range) {
        String url = "https://" + host + ":8443/cb";
        assertThat(production.refusal(url)).as(url).hasValueSatisfying(reason -> assertThat(reason).contains(range));
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        assertThat(new UrlGuard(false, Set.of(bare)).refusal(url)).as(url + " allow-listed").isEmpty();
        assertThat(new UrlGuard(false, Set.of(host)).refusal(url)).as(url + " allow-listed with brackets").isEmpty();
    }

    @Test
    void everyRangeOfTheTableRefusesItsOwnFirstAndLastAddress() throws Exception {
        for (SpecialAddresses.Range r : concat()) {
            byte[] first = r.prefix().clone();
            byte[] last = r.prefix().clone();
            for (int bit = r.bits(); bit < last.length * 8; bit++) {
                last[bit / 8] |= (byte) (0x80 >>> (bit % 8));
            }
            for (byte[] a : new byte[][]{first, last}) {
                InetAddress address = InetAddress.getByAddress(a);
                assertThat(SpecialAddresses.rangeOf(address)).as(r.cidr() + " " + address).isPresent();
            }
        }
    }

    private static java.util.List<SpecialAddresses.Range> concat() {
        return java.util.stream.Stream.concat(SpecialAddresses.IPV4.stream(), SpecialAddresses.IPV6.stream()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9000/cb", "http://localhost/cb", "http://[::1]:9000/cb",
            "http://[::ffff:127.0.0.1]/cb"})
    void theSandboxAllowsLoopback(String url) {
        assertThat(sandbox.refusal(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/cb", "http://169.254.169.254/", "http://[64:ff9b::7f00:1]/cb",
            "http://[2002:7f00:1::]/cb", "http://[::127.0.0.1]/cb", "http://198.18.0.1/cb"})
    void theSandboxStillRefusesEverythingElseSpecial(String url) {
        assertThat(sandbox.refusal(url)).as(url).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.215.14/cb", "http://hooks.internal.example/cb", "https://[2606:4700::1111]/cb",
            "http://8.8.8.8:8080/x?y=1"})
    void publicAddressesAndAllowListedHostsPass(String url) {
        assertThat(production.refusal(url)).isEmpty();
    }

    @Test
    void oneRefusedAddressAmongSeveralRefusesTheHost() throws Exception {
        UrlGuard guard = new UrlGuard(false, Set.of(), host -> new InetAddress[]{
                InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.0.0.7")});
        assertThat(guard.refusal("https://merchant.test/cb")).hasValueSatisfying(r -> assertThat(r).contains("Private-Use"));
    }
}
