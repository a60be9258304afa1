package io.hostrail.settings.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How invoice and credit note numbers look: literal text with {@code {yyyy}}, {@code {yy}}, {@code {mm}} and exactly one
 * {@code {seq}} or {@code {seq:N}} (the sequence, zero-padded to N digits), e.g. {@code INV-{yyyy}-{seq:6}}.
 */
public record DocumentNumberFormat(String pattern) {

    private static final Pattern TOKEN = Pattern.compile("\\{([a-z]+)(?::(\\d{1,2}))?}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9/._#-]*");
    private static final int MAX_LENGTH = 40;

    public DocumentNumberFormat {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
        if (pattern.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("at most " + MAX_LENGTH + " characters");
        }
        Matcher tokens = TOKEN.matcher(pattern);
        int sequences = 0;
        int end = 0;
        while (tokens.find()) {
            requireLiteral(pattern.substring(end, tokens.start()));
            end = tokens.end();
            String name = tokens.group(1);
            switch (name) {
                case "yyyy", "yy", "mm" -> {
                    if (tokens.group(2) != null) {
                        throw new IllegalArgumentException("{" + name + "} takes no width");
                    }
                }
                case "seq" -> {
                    sequences++;
                    int width = tokens.group(2) == null ? 1 : Integer.parseInt(tokens.group(2));
                    if (width < 1 || width > 12) {
                        throw new IllegalArgumentException("{seq:N} takes a width from 1 to 12");
                    }
                }
                default -> throw new IllegalArgumentException("unknown placeholder {" + name + "}; use {yyyy}, {yy}, {mm}, {seq:N}");
            }
        }
        requireLiteral(pattern.substring(end));
        if (sequences != 1) {
            throw new IllegalArgumentException("needs exactly one {seq} or {seq:N}");
        }
    }

    /**
     * Which sequence a document issued in {@code year} and {@code month} takes its number from: numbering restarts
     * each year when the format shows the year, each month when it shows the month too, and never otherwise, so a
     * number is never repeated.
     */
    public String sequenceScope(int year, int month) {
        boolean showsYear = pattern.contains("{yyyy}") || pattern.contains("{yy}");
        boolean showsMonth = pattern.contains("{mm}");
        if (showsYear && showsMonth) {
            return String.format("%04d-%02d", year, month);
        }
        return showsYear ? String.format("%04d", year) : "all";
    }

    /** The number of the {@code sequence}-th document issued in {@code year} and {@code month}. */
    public String render(int year, int month, long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequences start at 1");
        }
        Matcher tokens = TOKEN.matcher(pattern);
        StringBuilder number = new StringBuilder();
        while (tokens.find()) {
            String value = switch (tokens.group(1)) {
                case "yyyy" -> String.format("%04d", year);
                case "yy" -> String.format("%02d", year % 100);
                case "mm" -> String.format("%02d", month);
                default -> {
                    int width = tokens.group(2) == null ? 1 : Integer.parseInt(tokens.group(2));
                    yield String.format("%0" + width + "d", sequence);
                }
            };
            tokens.appendReplacement(number, Matcher.quoteReplacement(value));
        }
        tokens.appendTail(number);
        return number.toString();
    }

    private static void requireLiteral(String text) {
        if (!LITERAL.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "': outside placeholders use letters, digits and / . _ # -");
        }
    }
}
