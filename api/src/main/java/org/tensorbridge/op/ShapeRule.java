package org.tensorbridge.op;

/**
 * The one shape function of an operation: the result's dimensions from the inputs' dimensions and
 * the attributes, over sizes that may be unknown ({@code -1}) while a graph is built. What is known is
 * checked at once, with an exception naming the argument and the fix; eager calls pass concrete
 * sizes, so everything is checked there. The built-in functions are in {@link ShapeRules}.
 */
@FunctionalInterface
public interface ShapeRule {
    /** The result's dimensions, {@code -1} where not yet known. */
    long[] resultDims(OperandTypes call);
}
