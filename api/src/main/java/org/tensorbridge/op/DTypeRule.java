package org.tensorbridge.op;

import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;

/**
 * The dtype rule of an operation: the result's dtype from the inputs' dtypes and the attributes, or
 * a {@link DTypeMismatchException} whose message names the argument and the fix. The common rules
 * are constants here.
 */
@FunctionalInterface
public interface DTypeRule {
    /** The result dtype of {@code call}, or an exception naming what is wrong. */
    DType resultDType(OperandTypes call);

    /** Every input numeric and of one dtype, which is the result's: arithmetic. */
    DTypeRule SAME_NUMERIC = call -> {
        for (int i = 0; i < call.size(); i++) {
            if (!call.dtype(i).isNumeric()) {
                throw new DTypeMismatchException(call.call() + ": " + call.name(i) + " is bool, on which arithmetic "
                        + "is not defined; cast it to int32 or float32 first");
            }
        }
        requireSame(call);
        return call.dtype(0);
    };

    /** One floating-point input, whose dtype is the result's: {@code exp}, {@code log}, {@code mean}. */
    DTypeRule SAME_FLOATING = call -> {
        requireSame(call);
        DType dtype = call.dtype(0);
        if (!dtype.isFloatingPoint()) {
            throw new DTypeMismatchException(call.call() + ": " + call.name(0) + " is " + dtype.displayName() + " but "
                    + call.operation().name() + " is defined on floating-point dtypes; cast it first, for example "
                    + call.name(0) + ".cast(DType.FLOAT32)");
        }
        return dtype;
    };

    /** The first input's dtype, whatever it is: views, transposes, sparse conversions. */
    DTypeRule FIRST = call -> call.dtype(0);

    /** The {@link Attribute#DTYPE} attribute: casts. */
    DTypeRule FROM_ATTRIBUTE = call -> call.attributes().get(Attribute.DTYPE);

    private static void requireSame(OperandTypes call) {
        for (int i = 1; i < call.size(); i++) {
            if (call.dtype(i) != call.dtype(0)) {
                throw new DTypeMismatchException(call.call() + ": " + call.name(0) + " is " + call.dtype(0).displayName()
                        + " but " + call.name(i) + " is " + call.dtype(i).displayName() + "; cast one of them, for "
                        + "example " + call.name(i) + ".cast(DType." + call.dtype(0).name() + ")");
            }
        }
    }
}
