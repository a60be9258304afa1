package io.hostrail.identity.model;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address range in CIDR form ({@code 203.0.113.0/24}, {@code 2001:db8::/32}) or one address. */
public record IpRange(String cidr) {

    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+(/\\d{1,3})?");

    public IpRange {
        Objects.requireNonNull(cidr, "cidr");
        cidr = cidr.strip();
        if (!LITERAL.matcher(cidr).matches()) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR range");
        }
        parse(cidr);
    }

    public boolean contains(String address) {
        if (address == null || !LITERAL.matcher(address).matches()) {
            return false;
        }
        Parsed range = parse(cidr);
        byte[] candidate = bytes(address);
        if (candidate.length != range.network().length) {
            return false;
        }
        int bits = range.network().length * 8;
        BigInteger mask = range.prefix() == 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(bits - range.prefix()).shiftLeft(bits - range.prefix());
        return new BigInteger(1, candidate).and(mask).equals(new BigInteger(1, range.network()).and(mask));
    }

    private record Parsed(byte[] network, int prefix) {
    }

    private static Parsed parse(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] network = bytes(slash < 0 ? cidr : cidr.substring(0, slash));
        int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix length /" + prefix + " does not fit " + cidr);
        }
        return new Parsed(network, prefix);
    }

    /** Literal addresses only (checked by the pattern above), so this never asks DNS. */
    private static byte[] bytes(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address", e);
        }
    }
}
