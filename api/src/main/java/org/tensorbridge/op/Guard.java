package org.tensorbridge.op;

/**
 * A check of input values that an operation needs before its kernel runs, because the result is
 * undefined otherwise: an integer divisor must hold no zero, an integer exponent no negative value.
 * Guards apply to integer dtypes only; a failed guard throws {@link ArithmeticException}.
 *
 * @param input which input is checked
 * @param condition what it must not hold
 * @param explanation why, and what to do instead, for the message
 */
public record Guard(int input, Condition condition, String explanation) {
    /** What a guarded input must not hold. */
    public enum Condition {
        /** Any element equal to zero. */
        ZERO("a zero"),
        /** Any element below zero. */
        NEGATIVE("a negative value");

        private final String described;

        Condition(String described) {
            this.described = described;
        }

        /** For messages, for example {@code a zero}. */
        public String described() {
            return described;
        }

        /** True if an integer element of value {@code value} meets the condition. */
        public boolean holds(long value) {
            return this == ZERO ? value == 0 : value < 0;
        }
    }

    /** The message of a failed guard in {@code call}. */
    public String message(OperandTypes call) {
        return call.call() + ": " + call.name(input) + " holds " + condition.described() + " and it is "
                + call.dtype(input).displayName() + "; " + explanation;
    }
}
