package org.tensorbridge.tck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of {@code RULES.md}, read from the kit's jar. A rule heading reads
 * {@code ### 1.2 MUST — sentence}, followed by {@code Why:} and {@code If this fails, check:} lines.
 *
 * <p>Immutable and thread-safe once loaded.
 */
public final class RuleCatalog {
    private static final Pattern HEADING = Pattern.compile("^### (\\d+\\.\\d+) (MUST|SHOULD) — (.+)$");
    private static final String RESOURCE = "RULES.md";

    private final Map<String, RuleDefinition> rules;

    private RuleCatalog(Map<String, RuleDefinition> rules) {
        this.rules = rules;
    }

    private static final class Holder {
        static final RuleCatalog INSTANCE = load();
    }

    /** The catalog bundled with the kit. */
    public static RuleCatalog bundled() {
        return Holder.INSTANCE;
    }

    private static RuleCatalog load() {
        try (InputStream in = RuleCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the kit's jar; rebuild the tck module");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE, e);
        }
    }

    static RuleCatalog parse(List<String> lines) {
        Map<String, RuleDefinition> rules = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher heading = HEADING.matcher(lines.get(i));
            if (!heading.matches()) {
                continue;
            }
            String why = "";
            String check = "";
            for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("#"); j++) {
                String line = lines.get(j);
                if (line.startsWith("Why: ")) {
                    why = line.substring("Why: ".length());
                } else if (line.startsWith("If this fails, check: ")) {
                    check = line.substring("If this fails, check: ".length());
                }
            }
            String id = heading.group(1);
            if (rules.containsKey(id)) {
                throw new IllegalStateException(RESOURCE + " defines rule " + id + " twice");
            }
            rules.put(id, new RuleDefinition(id, RuleLevel.valueOf(heading.group(2)), heading.group(3), why, check));
        }
        return new RuleCatalog(rules);
    }

    /** Every rule, in the order of {@code RULES.md}. */
    public List<RuleDefinition> all() {
        return new ArrayList<>(rules.values());
    }

    /** The rule with this id. */
    public Optional<RuleDefinition> find(String id) {
        return Optional.ofNullable(rules.get(id));
    }
}
