package org.tensorbridge.op;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorbridge.DType;

/**
 * One operation, defined once: its name, its inputs (dense or sparse, each with a name for
 * messages), its result kind, its dtype rule and its one shape function. Eager calls, graph
 * building, graph fusion, backends' kernel registries and the conformance kit all use this
 * definition, so no rule is written twice. The built-in operations are the constants of
 * {@link Operations}; anyone may define more with {@link #builder}, and a backend supports an
 * operation exactly when it supplies a kernel for it.
 *
 * <p>An elementwise operation also carries its {@link ElementMath} (the value it computes) and may
 * be fused with its neighbours in a graph. A reduction names the elementwise operation that combines
 * its elements. A view shares its input's memory and needs no kernel.
 *
 * <p>Immutable and thread-safe; operations compare by identity.
 */
public final class Operation {
    private final String name;
    private final List<String> inputNames;
    private final List<ValueKind> inputKinds;
    private final ValueKind output;
    private final DTypeRule dtypeRule;
    private final ShapeRule shapeRule;
    private final ElementMath elementMath;
    private final Operation combiner;
    private final boolean averages;
    private final boolean view;
    private final List<Guard> guards;

    private Operation(Builder b) {
        this.name = b.name;
        this.inputNames = List.copyOf(b.inputNames);
        this.inputKinds = List.copyOf(b.inputKinds);
        this.output = b.output;
        this.dtypeRule = Objects.requireNonNull(b.dtypeRule, () -> "operation " + b.name + " needs a dtype rule");
        this.shapeRule = Objects.requireNonNull(b.shapeRule, () -> "operation " + b.name + " needs a shape rule");
        this.elementMath = b.elementMath;
        this.combiner = b.combiner;
        this.averages = b.averages;
        this.view = b.view;
        this.guards = List.copyOf(b.guards);
        if (elementMath != null && elementMath.arity() != inputKinds.size()) {
            throw new IllegalStateException("operation " + name + " has " + inputKinds.size() + " inputs but element "
                    + "math of arity " + elementMath.arity());
        }
    }

    /** A builder for an operation called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The name, as messages and graph nodes use it, for example {@code add}. */
    public String name() {
        return name;
    }

    /** Number of inputs. */
    public int arity() {
        return inputKinds.size();
    }

    /** Each input's name in messages, for example {@code [a, b]}. */
    public List<String> inputNames() {
        return inputNames;
    }

    /** Each input's kind. */
    public List<ValueKind> inputKinds() {
        return inputKinds;
    }

    /** The result's kind. */
    public ValueKind output() {
        return output;
    }

    /** The dtype rule. */
    public DTypeRule dtypeRule() {
        return dtypeRule;
    }

    /** The shape function. */
    public ShapeRule shapeRule() {
        return shapeRule;
    }

    /** True for an elementwise operation (dense inputs broadcast to the result, one value per element). */
    public boolean isElementwise() {
        return elementMath != null;
    }

    /** The value of an elementwise operation; null for other operations. */
    public ElementMath elementMath() {
        return elementMath;
    }

    /** True for a reduction over {@link Attribute#AXES}. */
    public boolean isReduction() {
        return combiner != null;
    }

    /** The binary elementwise operation that combines a reduction's elements; null for others. */
    public Operation combiner() {
        return combiner;
    }

    /** True if a reduction divides its combined value by the element count: a mean. */
    public boolean averages() {
        return averages;
    }

    /** True if the result shares the input's memory (a reshape): no kernel computes it. */
    public boolean isView() {
        return view;
    }

    /** Checks of input values before the kernel runs. */
    public List<Guard> guards() {
        return guards;
    }

    /** The result dtype of a call; throws naming the argument when the dtypes do not fit. */
    public DType resultDType(OperandTypes call) {
        return dtypeRule.resultDType(call);
    }

    /** The result dimensions of a call, {@code -1} where unknown; throws naming the argument when they do not fit. */
    public long[] resultDims(OperandTypes call) {
        return shapeRule.resultDims(call);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builds an {@link Operation}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final List<String> inputNames = new ArrayList<>();
        private final List<ValueKind> inputKinds = new ArrayList<>();
        private ValueKind output = ValueKind.DENSE;
        private DTypeRule dtypeRule;
        private ShapeRule shapeRule;
        private ElementMath elementMath;
        private Operation combiner;
        private boolean averages;
        private boolean view;
        private final List<Guard> guards = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Adds a dense input called {@code inputName}. */
        public Builder dense(String inputName) {
            return input(inputName, ValueKind.DENSE);
        }

        /** Adds a sparse input called {@code inputName}. */
        public Builder sparse(String inputName) {
            return input(inputName, ValueKind.SPARSE);
        }

        private Builder input(String inputName, ValueKind kind) {
            inputNames.add(Objects.requireNonNull(inputName, "inputName"));
            inputKinds.add(kind);
            return this;
        }

        /** The result's kind; dense unless set. */
        public Builder output(ValueKind kind) {
            this.output = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /** The dtype rule. */
        public Builder dtype(DTypeRule rule) {
            this.dtypeRule = rule;
            return this;
        }

        /** The shape function. */
        public Builder shape(ShapeRule rule) {
            this.shapeRule = rule;
            return this;
        }

        /** Makes it elementwise with this value per element. */
        public Builder elementwise(ElementMath math) {
            this.elementMath = Objects.requireNonNull(math, "math");
            return this;
        }

        /** Makes it a reduction combining elements with {@code combiner}; a mean if {@code averages}. */
        public Builder reduction(Operation combiner, boolean averages) {
            this.combiner = Objects.requireNonNull(combiner, "combiner");
            this.averages = averages;
            return this;
        }

        /** Makes it a view of its input's memory. */
        public Builder view() {
            this.view = true;
            return this;
        }

        /** Adds a check of input values. */
        public Builder guard(Guard guard) {
            guards.add(Objects.requireNonNull(guard, "guard"));
            return this;
        }

        /** The operation. */
        public Operation build() {
            return new Operation(this);
        }
    }
}
