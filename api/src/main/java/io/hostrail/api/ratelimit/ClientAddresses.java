package io.hostrail.api.ratelimit;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address a request comes from, for per-IP limits. It is the connection's remote address unless
 * that is a trusted reverse proxy; then {@code X-Forwarded-For} is read from the right, past further
 * trusted proxies, and the first address that is not one is the client. Everything left of it was
 * written by the client itself and is never believed, so no client can choose its own bucket.
 *
 * <p>IPv6 clients are counted by their /64: a host usually holds a whole /64 and could otherwise take
 * a fresh bucket for every request. Addresses are parsed as literals only, never looked up in DNS,
 * which would block the event loop.
 */
public final class ClientAddresses {

    /** The key of requests whose remote address is unknown (no TCP connection, as in some tests). */
    static final String UNKNOWN = "unknown";

    static final String FORWARDED_FOR = "X-Forwarded-For";

    private static final int IPV6_CLIENT_PREFIX = 64;

    private final List<Network> trustedProxies;

    private ClientAddresses(List<Network> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** Trusting the given addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); fails on any other entry. */
    public static ClientAddresses trusting(List<String> trustedProxies) {
        return new ClientAddresses(trustedProxies.stream().map(Network::parse).toList());
    }

    /** The client's address as it appears in bucket keys: {@code 203.0.113.7}, {@code 2001:db8:1:2::/64}. */
    String of(ServerHttpRequest request) {
        InetAddress address = clientAddress(request);
        return address == null ? UNKNOWN : keyOf(address);
    }

    /**
     * The client's own address: the connection's, or, when that is a trusted proxy, the first address
     * in X-Forwarded-For (from the right) that is not one. Null when the connection has no address.
     */
    public InetAddress clientAddress(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress address = remote == null ? null : remote.getAddress();
        if (address != null && isTrusted(address)) {
            address = forwardedClient(address, request.getHeaders().getValuesAsList(FORWARDED_FOR));
        }
        return address;
    }

    /** Each proxy appends the address it was called from, so the trustworthy part is the right end. */
    private InetAddress forwardedClient(InetAddress proxy, List<String> forwardedFor) {
        InetAddress client = proxy;
        for (int i = forwardedFor.size() - 1; i >= 0 && isTrusted(client); i--) {
            InetAddress hop = literal(forwardedFor.get(i));
            if (hop == null) {
                // A trusted proxy wrote something that is no address: the chain cannot be followed past it.
                break;
            }
            client = hop;
        }
        return client;
    }

    private boolean isTrusted(InetAddress address) {
        for (Network network : trustedProxies) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static String keyOf(InetAddress address) {
        if (address instanceof Inet6Address) {
            return NetUtil.bytesToIpAddress(Network.masked(address.getAddress(), IPV6_CLIENT_PREFIX)) + "/" + IPV6_CLIENT_PREFIX;
        }
        return address.getHostAddress();
    }

    /**
     * An IP literal, with or without a port ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711}); null
     * for anything else, host names included.
     */
    static InetAddress literal(String text) {
        String candidate = text.strip();
        if (candidate.startsWith("[")) {
            int end = candidate.indexOf(']');
            if (end < 0) {
                return null;
            }
            candidate = candidate.substring(1, end);
        } else if (candidate.indexOf(':') >= 0 && candidate.indexOf(':') == candidate.lastIndexOf(':')) {
            candidate = candidate.substring(0, candidate.indexOf(':'));
        }
        if (!NetUtil.isValidIpV4Address(candidate) && !NetUtil.isValidIpV6Address(candidate)) {
            return null;
        }
        return NetUtil.createInetAddressFromIpAddressString(candidate);
    }

    /** An address range: the first {@code prefixLength} bits of {@code prefix}. */
    private static final class Network {

        private final byte[] prefix;
        private final int prefixLength;

        private Network(byte[] prefix, int prefixLength) {
            this.prefix = masked(prefix, prefixLength);
            this.prefixLength = prefixLength;
        }

        static Network parse(String entry) {
            Objects.requireNonNull(entry, "trusted proxy");
            int slash = entry.indexOf('/');
            String addressPart = (slash < 0 ? entry : entry.substring(0, slash)).strip();
            InetAddress address = NetUtil.isValidIpV4Address(addressPart) || NetUtil.isValidIpV6Address(addressPart)
                    ? NetUtil.createInetAddressFromIpAddressString(addressPart) : null;
            if (address == null) {
                throw new IllegalArgumentException("hostrail.rate-limits.trusted-proxies: '" + entry
                        + "' is neither an IP address nor a CIDR range");
            }
            int bits = address.getAddress().length * 8;
            int length = bits;
            if (slash >= 0) {
                try {
                    length = Integer.parseInt(entry.substring(slash + 1).strip());
                } catch (NumberFormatException e) {
                    length = -1;
                }
                if (length < 0 || length > bits) {
                    throw new IllegalArgumentException("hostrail.rate-limits.trusted-proxies: '" + entry
                            + "' has a prefix length outside 0.." + bits);
                }
            }
            return new Network(address.getAddress(), length);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            return candidate.length == prefix.length
                    && Arrays.equals(masked(candidate, prefixLength), prefix);
        }

        /** The address with every bit after the first {@code prefixLength} cleared. */
        static byte[] masked(byte[] address, int prefixLength) {
            byte[] result = address.clone();
            for (int i = 0; i < result.length; i++) {
                int keep = Math.clamp(prefixLength - i * 8L, 0, 8);
                result[i] &= (byte) (0xFF << (8 - keep));
            }
            return result;
        }
    }
}
