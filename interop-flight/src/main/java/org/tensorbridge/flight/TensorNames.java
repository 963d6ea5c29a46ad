package org.tensorbridge.flight;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.Ticket;

/**
 * The names a tensor Flight server publishes under, and how they travel: a descriptor is the path of one
 * element, the name; a ticket is the name's UTF-8 bytes. Stateless and thread-safe.
 */
final class TensorNames {
    static final int MAX_LENGTH = 256;

    private TensorNames() {
    }

    /**
     * {@code name}, checked.
     *
     * @throws InvalidTensorNameException if it is empty, too long or has a character outside
     *     {@code [A-Za-z0-9._/-]}
     */
    static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidTensorNameException("the tensor name is empty; give a name such as \"embeddings\"");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidTensorNameException("the tensor name has " + name.length() + " characters; at most "
                    + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                    || c == '_' || c == '-' || c == '/';
            if (!allowed) {
                throw new InvalidTensorNameException("the tensor name \"" + printable(name) + "\" has the character '"
                        + printable(String.valueOf(c)) + "' at " + i + "; names take ASCII letters, digits, '.', '_', "
                        + "'-' and '/' (for example \"run-1/embeddings\")");
            }
        }
        return name;
    }

    /** The name a descriptor names: its one path element. */
    static String of(FlightDescriptor descriptor) {
        if (descriptor.isCommand()) {
            throw new InvalidTensorNameException("the descriptor is a command; a tensor server takes path "
                    + "descriptors of one element, the name (pyarrow: flight.FlightDescriptor.for_path(\"name\"))");
        }
        List<String> path = descriptor.getPath();
        if (path.size() != 1) {
            throw new InvalidTensorNameException("the descriptor's path has " + path.size() + " elements " + path
                    + "; a tensor server takes one, the name (join parts with '/': \"run-1/embeddings\")");
        }
        return check(path.get(0));
    }

    /** The name a ticket names. */
    static String of(Ticket ticket) {
        return check(new String(ticket.getBytes(), StandardCharsets.UTF_8));
    }

    static FlightDescriptor descriptor(String name) {
        return FlightDescriptor.path(check(name));
    }

    static Ticket ticket(String name) {
        return new Ticket(check(name).getBytes(StandardCharsets.UTF_8));
    }

    /** The text with control characters escaped, safe to echo into a message or a log line. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(MAX_LENGTH).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
