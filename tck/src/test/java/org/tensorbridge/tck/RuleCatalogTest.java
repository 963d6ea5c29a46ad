package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleCatalogTest {
    @Test
    void everyBundledRuleHasALevelAReasonAndWhatToCheck() {
        List<RuleDefinition> rules = RuleCatalog.bundled().all();
        assertTrue(rules.size() >= 40, "RULES.md holds " + rules.size() + " rules");
        for (RuleDefinition rule : rules) {
            assertFalse(rule.why().isBlank(), rule.id() + " has no 'Why:' line");
            assertFalse(rule.check().isBlank(), rule.id() + " has no 'If this fails, check:' line");
        }
    }

    @Test
    void parsesHeadingsAndRejectsDuplicates() {
        RuleCatalog catalog = RuleCatalog.parse(List.of("### 1.1 MUST — one", "Why: because", "If this fails, check: x",
                "### 1.2 SHOULD — two"));
        assertEquals(RuleLevel.SHOULD, catalog.find("1.2").orElseThrow().level());
        assertEquals("because", catalog.find("1.1").orElseThrow().why());
        assertThrows(IllegalStateException.class, () -> RuleCatalog.parse(List.of("### 1.1 MUST — a", "### 1.1 MUST — b")));
    }
}
