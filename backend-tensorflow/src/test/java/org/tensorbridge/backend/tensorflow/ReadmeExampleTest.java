package org.tensorbridge.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The README's TensorFlow Java example is {@link #example} verbatim, and it prints what the README says. */
class ReadmeExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/org/tensorbridge/backend/tensorflow/ReadmeExampleTest.java");
    private static final Path README = Path.of("../README.md");

    /** A TensorFlow Java model's output, handed to tensorbridge as the README shows. */
    private static void example(Result result, PrintStream out) {
        // readme: tensorflow
        Backend tensorflow = Backends.get("tensorflow");
        try (TFloat32 output = (TFloat32) result.get(0); // what a TensorFlow Java model returned
                Tensor tensor = TensorflowTensors.fromTensorFlow(tensorflow, output); // no copy: TensorFlow's buffer
                HostArray array = tensor.toHost()) { // a read-only view of that buffer
            out.println(array.sharing() + " " + array.bytesCopied()); // SHARED 0: TensorFlow's memory, nothing copied
            out.println(Arrays.toString(array.toFloatArray())); // a Java array is a copy, as any float[] must be
        }
        // end readme
    }

    @Test
    void theExampleRunsAndSaysItShared() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            try (Result result = session.runner().fetch(tf.math.mul(tf.constant(new float[] {1, 2, 3}),
                    tf.constant(2f))).run()) {
                example(result, new PrintStream(printed, true, StandardCharsets.UTF_8));
            }
        }
        assertEquals("SHARED 0\n[2.0, 4.0, 6.0]\n", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReadmeQuotesTheExampleVerbatim() throws IOException {
        Matcher m = Pattern.compile("// readme: tensorflow\\n(.*?)\\n\\s*// end readme", Pattern.DOTALL)
                .matcher(Files.readString(SOURCE));
        assertTrue(m.find());
        StringBuilder block = new StringBuilder();
        for (String line : m.group(1).split("\n")) {
            block.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        String readme = Files.readString(README);
        assertTrue(readme.contains("```java\n" + block + "```"), "README.md does not quote the example verbatim:\n"
                + block);
    }
}
