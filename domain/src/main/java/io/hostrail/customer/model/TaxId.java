package io.hostrail.customer.model;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tax registration number. EU VAT numbers (country prefix + national format) are checked against
 * each member state's published format, which is what reverse charge relies on; other countries'
 * numbers are kept as given, after a plausibility check.
 */
public record TaxId(String value) {

    private static final Map<String, Pattern> EU_VAT = Map.ofEntries(
            Map.entry("AT", Pattern.compile("U\\d{8}")), Map.entry("BE", Pattern.compile("[01]\\d{9}")),
            Map.entry("BG", Pattern.compile("\\d{9,10}")), Map.entry("CY", Pattern.compile("\\d{8}[A-Z]")),
            Map.entry("CZ", Pattern.compile("\\d{8,10}")), Map.entry("DE", Pattern.compile("\\d{9}")),
            Map.entry("DK", Pattern.compile("\\d{8}")), Map.entry("EE", Pattern.compile("\\d{9}")),
            Map.entry("EL", Pattern.compile("\\d{9}")), Map.entry("ES", Pattern.compile("[A-Z0-9]\\d{7}[A-Z0-9]")),
            Map.entry("FI", Pattern.compile("\\d{8}")), Map.entry("FR", Pattern.compile("[A-HJ-NP-Z0-9]{2}\\d{9}")),
            Map.entry("HR", Pattern.compile("\\d{11}")), Map.entry("HU", Pattern.compile("\\d{8}")),
            Map.entry("IE", Pattern.compile("\\d[A-Z0-9+*]\\d{5}[A-Z]{1,2}")), Map.entry("IT", Pattern.compile("\\d{11}")),
            Map.entry("LT", Pattern.compile("\\d{9}|\\d{12}")), Map.entry("LU", Pattern.compile("\\d{8}")),
            Map.entry("LV", Pattern.compile("\\d{11}")), Map.entry("MT", Pattern.compile("\\d{8}")),
            Map.entry("NL", Pattern.compile("\\d{9}B\\d{2}")), Map.entry("PL", Pattern.compile("\\d{10}")),
            Map.entry("PT", Pattern.compile("\\d{9}")), Map.entry("RO", Pattern.compile("\\d{2,10}")),
            Map.entry("SE", Pattern.compile("\\d{12}")), Map.entry("SI", Pattern.compile("\\d{8}")),
            Map.entry("SK", Pattern.compile("\\d{10}")), Map.entry("XI", Pattern.compile("\\d{9}|\\d{12}|GD\\d{3}|HA\\d{3}")));
    private static final Pattern PLAUSIBLE = Pattern.compile("[A-Z0-9][A-Z0-9 .\\-/]{2,30}");

    public TaxId {
        if (value == null) {
            throw new IllegalArgumentException("a tax id needs a value");
        }
        value = value.strip().toUpperCase(Locale.ROOT).replace(" ", "").replace(".", "").replace("-", "");
        String prefix = value.length() >= 2 ? value.substring(0, 2) : "";
        Pattern vat = EU_VAT.get(prefix);
        if (vat != null && !vat.matcher(value.substring(2)).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a valid " + prefix + " VAT number format");
        }
        if (vat == null && !PLAUSIBLE.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a plausible tax id");
        }
    }

    /** True for an EU VAT number of the right format (what a reverse-charge decision starts from). */
    public boolean isEuVat() {
        return value.length() > 2 && EU_VAT.containsKey(value.substring(0, 2));
    }
}
