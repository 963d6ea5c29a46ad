package org.tensorbridge.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a kit test with the id of the rule in {@code RULES.md} that it verifies. The rule's level
 * and text come from {@code RULES.md}, where they are written once.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ConformanceRule {
    /** The rule id, for example {@code "1.2"}. */
    String value();
}
