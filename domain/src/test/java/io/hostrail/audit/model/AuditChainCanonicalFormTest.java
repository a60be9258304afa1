package io.hostrail.audit.model;

import static io.hostrail.audit.model.AuditFixtures.OTHER_TENANT;
import static io.hostrail.audit.model.AuditFixtures.STAFF_ID;
import static io.hostrail.audit.model.AuditFixtures.entry;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuditChainCanonicalFormTest {

    private static final String GENESIS = AuditChain.GENESIS_HASH;

    /** Computed outside Java: {@code printf '%s' '<the form below>' | sha256sum}. */
    private static final String PINNED_HASH = "3627fa7770652916717083f27be15fdc17ff205f4ca973ee0dbead9305a871e5";

    /** Every stored chain depends on this exact text and hash: a change here breaks them all. */
    @Test
    void pinsTheCanonicalFormAndHashOfAKnownEntry() {
        AuditEntry entry = entry().actor(Actor.staffUser(STAFF_ID, "zoë@example.com")).build();

        assertThat(AuditChain.canonicalForm(1, entry, GENESIS)).isEqualTo(
                "17:hostrail.audit.v1;"
                        + "1:1;"
                        + "36:01959a3c-2f4d-7000-8000-0000000000aa;"
                        + "10:STAFF_USER;"
                        + "36:01959a3c-2f4d-7000-8000-000000000001;"
                        + "16:zoë@example.com;"
                        + "17:user.role_changed;"
                        + "4:user;"
                        + "36:01959a3c-2f4d-7000-8000-0000000000bb;"
                        + "{1:4:role;7:support;};"
                        + "{1:4:role;5:admin;};"
                        + "30:2025-03-14T09:26:53.123456000Z;"
                        + "11:203.0.113.7;"
                        + "6:req-42;"
                        + "64:" + "0".repeat(64) + ";");
        assertThat(AuditChain.hash(1, entry, GENESIS)).isEqualTo(PINNED_HASH);
    }

    @Test
    void writesNullAsADashAndTheSystemActorWithoutAnId() {
        AuditEntry entry = entry().actor(Actor.system("billing-run")).targetId(null).ip(null).requestId(null)
                .before(null).after(null).build();

        assertThat(AuditChain.canonicalForm(7, entry, GENESIS))
                .contains("1:7;")
                .contains("6:SYSTEM;-;11:billing-run;")
                .contains("4:user;-;{0:};{0:};")
                .endsWith("Z;-;-;64:" + GENESIS + ";");
    }

    @Test
    void writesTimesInUtcWithNineFractionDigits() {
        AuditEntry onTheSecond = entry().occurredAt(Instant.parse("2025-03-14T09:26:53Z")).build();
        AuditEntry withMicros = entry().occurredAt(Instant.parse("2025-03-14T09:26:53.000001Z")).build();

        assertThat(AuditChain.canonicalForm(1, onTheSecond, GENESIS)).contains("30:2025-03-14T09:26:53.000000000Z;");
        assertThat(AuditChain.canonicalForm(1, withMicros, GENESIS)).contains("30:2025-03-14T09:26:53.000001000Z;");
    }

    @Test
    void isTheSameWhateverOrderTheAttributesWereGivenIn() {
        Map<String, String> ascending = new LinkedHashMap<>();
        ascending.put("a", "1");
        ascending.put("b", "2");
        ascending.put("c", "3");
        Map<String, String> descending = new LinkedHashMap<>();
        descending.put("c", "3");
        descending.put("b", "2");
        descending.put("a", "1");

        String fromAscending = AuditChain.canonicalForm(1, entry().before(ascending).after(descending).build(), GENESIS);
        String fromDescending = AuditChain.canonicalForm(1, entry().before(descending).after(ascending).build(), GENESIS);

        assertThat(fromAscending).isEqualTo(fromDescending).contains("{3:1:a;1:1;1:b;1:2;1:c;1:3;};");
    }

    static Stream<Arguments> entriesThatNaiveConcatenationWouldConfuse() {
        return Stream.of(
                pair("target type and id 'ab'+'c' vs 'a'+'bc'",
                        entry().targetType("ab").targetId("c"), entry().targetType("a").targetId("bc")),
                pair("ip and request id 'ab'+'c' vs 'a'+'bc'",
                        entry().ip("ab").requestId("c"), entry().ip("a").requestId("bc")),
                pair("actor display and action 'ab'+'c.d' vs 'a'+'bc.d'",
                        entry().actor(Actor.staffUser(STAFF_ID, "ab")).action("c.d"),
                        entry().actor(Actor.staffUser(STAFF_ID, "a")).action("bc.d")),
                pair("null target id vs empty target id", entry().targetId(null), entry().targetId("")),
                pair("null ip vs empty ip", entry().ip(null), entry().ip("")),
                pair("null request id vs empty request id", entry().requestId(null), entry().requestId("")),
                pair("null target id vs the text '-'", entry().targetId(null), entry().targetId("-")),
                pair("ip holding what a null would be written as",
                        entry().ip(null).requestId("x"), entry().ip("-;1:x").requestId(null)),
                pair("attribute key/value 'ab'='c' vs 'a'='bc'",
                        entry().before(Map.of("ab", "c")), entry().before(Map.of("a", "bc"))),
                pair("two attributes vs one whose value spells the second",
                        entry().before(Map.of("a", "1", "b", "2")), entry().before(Map.of("a", "1;1:b;1:2"))),
                pair("attribute moved from before to after",
                        entry().before(Map.of("x", "1")).after(Map.of()), entry().before(Map.of()).after(Map.of("x", "1"))),
                pair("empty-string attribute vs no attribute",
                        entry().after(Map.of("note", "")), entry().after(Map.of())),
                pair("value ending in a map terminator vs separate maps",
                        entry().before(Map.of("k", "v;};{0:")).after(Map.of()),
                        entry().before(Map.of("k", "v")).after(Map.of())),
                pair("staff user vs client user with the same id and display",
                        entry().actor(Actor.staffUser(STAFF_ID, "ops@example.com")),
                        entry().actor(Actor.clientUser(STAFF_ID, "ops@example.com"))),
                pair("same moment one microsecond apart",
                        entry().occurredAt(Instant.parse("2025-03-14T09:26:53.000001Z")),
                        entry().occurredAt(Instant.parse("2025-03-14T09:26:53.000002Z"))),
                pair("another tenant", entry(), entry().tenantId(OTHER_TENANT)),
                pair("same characters, one of them multi-byte",
                        entry().targetId("é1").ip("x"), entry().targetId("é").ip("1x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entriesThatNaiveConcatenationWouldConfuse")
    void givesDifferentEntriesDifferentFormsAndHashes(AuditEntry one, AuditEntry other) {
        assertThat(one).isNotEqualTo(other);
        assertThat(AuditChain.canonicalForm(1, one, GENESIS)).isNotEqualTo(AuditChain.canonicalForm(1, other, GENESIS));
        assertThat(AuditChain.hash(1, one, GENESIS)).isNotEqualTo(AuditChain.hash(1, other, GENESIS));
    }

    @Test
    void coversTheSequenceAndThePreviousHash() {
        AuditEntry entry = entry().build();
        String otherPrevious = "f".repeat(64);

        assertThat(AuditChain.hash(1, entry, GENESIS))
                .isNotEqualTo(AuditChain.hash(2, entry, GENESIS))
                .isNotEqualTo(AuditChain.hash(1, entry, otherPrevious));
        assertThat(AuditChain.hash(12, entry, GENESIS)).isNotEqualTo(AuditChain.hash(1, entry().build(), GENESIS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entriesThatNaiveConcatenationWouldConfuse")
    void readsBackAsExactlyTheFieldsItWasMadeFrom(AuditEntry one, AuditEntry other) {
        assertThat(decode(AuditChain.canonicalForm(3, one, GENESIS))).isEqualTo(fieldsOf(3, one, GENESIS));
        assertThat(decode(AuditChain.canonicalForm(3, other, GENESIS))).isEqualTo(fieldsOf(3, other, GENESIS));
    }

    /**
     * The form can be decoded back into the fields it was made from, for any text, so no two different
     * records can share it. Random text drawn from the characters the encoding itself uses.
     */
    @Test
    void readsBackAsExactlyTheFieldsItWasMadeFromForRandomAwkwardText() {
        Random random = new Random(20250314);
        Map<String, AuditEntry> seen = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            AuditEntry entry = randomEntry(random);
            long sequence = 1 + random.nextInt(1_000);
            String canonical = AuditChain.canonicalForm(sequence, entry, GENESIS);

            assertThat(decode(canonical)).as(canonical).isEqualTo(fieldsOf(sequence, entry, GENESIS));
            AuditEntry earlier = seen.putIfAbsent(canonical, entry);
            assertThat(earlier == null || earlier.equals(entry)).as("two entries share " + canonical).isTrue();
        }
    }

    @Test
    void hashIsLowerCaseHexOfSha256() {
        assertThat(AuditChain.hash(1, entry().build(), GENESIS)).matches("[0-9a-f]{64}");
    }

    @Test
    void genesisHashIsSixtyFourZeros() {
        assertThat(AuditChain.GENESIS_HASH).isEqualTo("0000000000000000000000000000000000000000000000000000000000000000");
    }

    @Test
    void refusesASequenceBelowOneOrAMalformedPreviousHash() {
        assertThatThrownBy(() -> AuditChain.canonicalForm(0, entry().build(), GENESIS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence");
        assertThatThrownBy(() -> AuditChain.hash(1, entry().build(), "0".repeat(63)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("previousHash");
        assertThatThrownBy(() -> AuditChain.hash(1, null, GENESIS))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("entry");
    }

    // --- a decoder written from the documented grammar, independent of the encoder ---

    private static List<Object> fieldsOf(long sequence, AuditEntry entry, String previousHash) {
        return Arrays.asList(AuditChain.FORMAT, Long.toString(sequence), entry.tenantId().toString(),
                entry.actor().kind().name(), entry.actor().id() == null ? null : entry.actor().id().toString(),
                entry.actor().display(), entry.action(), entry.targetType(), entry.targetId(),
                entry.before(), entry.after(), entry.occurredAt(), entry.ip(), entry.requestId(), previousHash);
    }

    private static List<Object> decode(String canonical) {
        Decoder decoder = new Decoder(canonical.getBytes(UTF_8));
        List<Object> fields = new ArrayList<>();
        while (decoder.position < decoder.bytes.length) {
            fields.add(fields.size() == 9 || fields.size() == 10 ? decoder.map() : decoder.nullableString());
        }
        assertThat(fields).hasSize(15);
        String time = (String) fields.get(11);
        assertThat(time).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z");
        fields.set(11, Instant.parse(time));
        return fields;
    }

    private static final class Decoder {

        final byte[] bytes;
        int position;

        Decoder(byte[] bytes) {
            this.bytes = bytes;
        }

        String nullableString() {
            if (bytes[position] == '-') {
                expect("-;");
                return null;
            }
            return string();
        }

        String string() {
            int length = number(':');
            String value = new String(bytes, position, length, UTF_8);
            position += length;
            expect(";");
            return value;
        }

        Map<String, String> map() {
            expect("{");
            int entries = number(':');
            Map<String, String> map = new LinkedHashMap<>();
            String previousKey = null;
            for (int i = 0; i < entries; i++) {
                String key = string();
                assertThat(previousKey == null || previousKey.compareTo(key) < 0).as("keys sorted").isTrue();
                map.put(key, string());
                previousKey = key;
            }
            expect("};");
            return map;
        }

        private int number(char terminator) {
            int start = position;
            while (bytes[position] != terminator) {
                assertThat((char) bytes[position]).isBetween('0', '9');
                position++;
            }
            int value = Integer.parseInt(new String(bytes, start, position - start, UTF_8));
            position++;
            return value;
        }

        private void expect(String literal) {
            byte[] expected = literal.getBytes(UTF_8);
            assertThat(Arrays.copyOfRange(bytes, position, position + expected.length)).isEqualTo(expected);
            position += expected.length;
        }
    }

    // --- random entries built from the encoding's own punctuation ---

    private static final String[] PIECES = {"", "a", "b", "0", "1", "9", ":", ";", "-", "{", "}", " ", "é", "€", "😀", "-;", "0:;"};

    private static AuditEntry randomEntry(Random random) {
        Actor actor = switch (random.nextInt(4)) {
            case 0 -> Actor.system("s" + text(random));
            case 1 -> Actor.staffUser(new UUID(0, random.nextInt(3)), "u" + text(random));
            case 2 -> Actor.clientUser(new UUID(0, random.nextInt(3)), "c" + text(random));
            default -> Actor.apiKey(new UUID(0, random.nextInt(3)), "k" + text(random));
        };
        return new AuditEntry(random.nextBoolean() ? AuditFixtures.TENANT : OTHER_TENANT, actor,
                pick(random, "a.b", "ab.c", "a.bc", "user.role_changed"), pick(random, "a", "ab", "a_b", "b"),
                nullableText(random), attributes(random), attributes(random),
                Instant.ofEpochSecond(random.nextInt(3), random.nextInt(3) * 1_000L),
                nullableText(random), nullableText(random));
    }

    private static Map<String, String> attributes(Random random) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            attributes.put(text(random), text(random));
        }
        return random.nextInt(5) == 0 ? null : attributes;
    }

    private static String nullableText(Random random) {
        return random.nextInt(4) == 0 ? null : text(random);
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static Arguments pair(String description, AuditFixtures.Builder one, AuditFixtures.Builder other) {
        return Arguments.of(Named.of(description, one.build()), other.build());
    }
}
