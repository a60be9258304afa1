package io.hostrail.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class ClientAddressesTest {

    private static final ClientAddresses TRUSTING_NOBODY = ClientAddresses.trusting(List.of());
    private static final ClientAddresses BEHIND_PROXIES = ClientAddresses.trusting(List.of("10.0.0.0/8", "192.0.2.10", "2001:db8::/32"));

    @Test
    @DisplayName("without trusted proxies the connection's address is the client's, whatever X-Forwarded-For says")
    void forwardedForIgnoredWithoutTrust() {
        assertThat(TRUSTING_NOBODY.of(from("198.51.100.7", "203.0.113.5"))).isEqualTo("198.51.100.7");
        assertThat(TRUSTING_NOBODY.of(from("127.0.0.1", "203.0.113.5"))).isEqualTo("127.0.0.1");
    }

    @Test
    @DisplayName("a connection from outside the trusted proxies cannot pick its bucket with X-Forwarded-For")
    void untrustedRemoteIsTheClient() {
        assertThat(BEHIND_PROXIES.of(from("198.51.100.7", "10.0.0.1"))).isEqualTo("198.51.100.7");
        assertThat(BEHIND_PROXIES.of(from("198.51.100.7", "203.0.113.5"))).isEqualTo("198.51.100.7");
    }

    @Test
    @DisplayName("behind a trusted proxy the address it appended is the client")
    void trustedProxyNamesTheClient() {
        assertThat(BEHIND_PROXIES.of(from("10.1.2.3", "203.0.113.5"))).isEqualTo("203.0.113.5");
        assertThat(BEHIND_PROXIES.of(from("192.0.2.10", "203.0.113.5"))).isEqualTo("203.0.113.5");
    }

    @Test
    @DisplayName("addresses the client wrote itself, left of the proxy's, are never believed")
    void spoofedEntriesAreIgnored() {
        assertThat(BEHIND_PROXIES.of(from("10.1.2.3", "6.6.6.6, 203.0.113.5"))).isEqualTo("203.0.113.5");
        assertThat(BEHIND_PROXIES.of(from("10.1.2.3", "10.9.9.9, 203.0.113.5"))).isEqualTo("203.0.113.5");
        // The same, split over two header lines.
        assertThat(BEHIND_PROXIES.of(from("10.1.2.3", "6.6.6.6", "203.0.113.5"))).isEqualTo("203.0.113.5");
    }

    @Test
    @DisplayName("a chain of trusted proxies is walked from the right to the first address outside it")
    void chainOfProxies() {
        assertThat(BEHIND_PROXIES.of(from("10.0.0.2", "6.6.6.6, 203.0.113.5, 192.0.2.10, 10.0.0.1"))).isEqualTo("203.0.113.5");
        // Only proxies all the way: the leftmost is as far as anyone can tell.
        assertThat(BEHIND_PROXIES.of(from("10.0.0.2", "10.0.0.3, 10.0.0.1"))).isEqualTo("10.0.0.3");
    }

    @Test
    @DisplayName("a trusted proxy without X-Forwarded-For is itself the client")
    void trustedProxyWithoutHeader() {
        assertThat(BEHIND_PROXIES.of(from("10.1.2.3"))).isEqualTo("10.1.2.3");
    }

    @Test
    @DisplayName("an entry that is no IP literal stops the walk, and is never looked up in DNS")
    void nonAddressesStopTheWalk() {
        assertThat(BEHIND_PROXIES.of(from("10.1.2.3", "203.0.113.5, localhost"))).isEqualTo("10.1.2.3");
        assertThat(BEHIND_PROXIES.of(from("10.1.2.3", "evil.example"))).isEqualTo("10.1.2.3");
        assertThat(BEHIND_PROXIES.of(from("10.1.2.3", "unknown"))).isEqualTo("10.1.2.3");
        assertThat(BEHIND_PROXIES.of(from("10.1.2.3", "6.6.6.6, 999.1.1.1"))).isEqualTo("10.1.2.3");
        assertThat(ClientAddresses.literal("example.com")).isNull();
        assertThat(ClientAddresses.literal("[::1")).isNull();
    }

    @Test
    @DisplayName("entries with a port, in brackets or IPv4-mapped are understood")
    void literalForms() {
        assertThat(BEHIND_PROXIES.of(from("10.1.2.3", "203.0.113.5:4711"))).isEqualTo("203.0.113.5");
        assertThat(BEHIND_PROXIES.of(from("10.1.2.3", "[2001:db9::1]:4711"))).isEqualTo("2001:db9::/64");
        assertThat(BEHIND_PROXIES.of(from("10.1.2.3", " ::ffff:203.0.113.5 "))).isEqualTo("203.0.113.5");
    }

    @Test
    @DisplayName("IPv6 clients are counted by their /64, so one host cannot rotate through fresh buckets")
    void ipv6ByPrefix() {
        assertThat(TRUSTING_NOBODY.of(from("2001:db9:1:2:3:4:5:6"))).isEqualTo("2001:db9:1:2::/64");
        assertThat(TRUSTING_NOBODY.of(from("2001:db9:1:2:ffff:ffff:ffff:ffff"))).isEqualTo("2001:db9:1:2::/64");
        assertThat(TRUSTING_NOBODY.of(from("2001:db9:1:3::1"))).isEqualTo("2001:db9:1:3::/64");
    }

    @Test
    @DisplayName("IPv6 proxies can be trusted by range")
    void ipv6Proxies() {
        assertThat(BEHIND_PROXIES.of(from("2001:db8:ffff::1", "203.0.113.5"))).isEqualTo("203.0.113.5");
        assertThat(BEHIND_PROXIES.of(from("2001:db9::1", "203.0.113.5"))).isEqualTo("2001:db9::/64");
    }

    @Test
    @DisplayName("a request without a remote address shares the 'unknown' bucket")
    void unknownRemote() {
        assertThat(BEHIND_PROXIES.of(MockServerHttpRequest.get("/").header(ClientAddresses.FORWARDED_FOR, "203.0.113.5").build()))
                .isEqualTo(ClientAddresses.UNKNOWN);
    }

    @Test
    @DisplayName("a trusted proxy entry that is no address or range stops the startup")
    void badTrustedProxies() {
        for (String bad : List.of("proxy.internal", "10.0.0.0/33", "10.0.0.0/x", "10.0.0.0/-1", "", "2001:db8::/129",
                "192.0.2.1:80")) {
            assertThatThrownBy(() -> ClientAddresses.trusting(List.of(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("hostrail.rate-limits.trusted-proxies");
        }
        assertThat(ClientAddresses.trusting(List.of("0.0.0.0/0")).of(from("198.51.100.7", "203.0.113.5"))).isEqualTo("203.0.113.5");
    }

    private static MockServerHttpRequest from(String remote, String... forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/v1/anything")
                .remoteAddress(new InetSocketAddress(ClientAddresses.literal(remote), 43210));
        if (forwardedFor.length > 0) {
            request.header(ClientAddresses.FORWARDED_FOR, forwardedFor);
        }
        return request.build();
    }
}
