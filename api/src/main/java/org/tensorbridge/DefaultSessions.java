package org.tensorbridge;

import java.util.ArrayDeque;
import java.util.Deque;

/** The per-thread stack of default sessions behind {@link Session#asDefault()}. */
final class DefaultSessions {
    private static final ThreadLocal<Deque<Session>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private DefaultSessions() {
    }

    static Session.Scope push(Session session) {
        Thread owner = Thread.currentThread();
        STACK.get().push(session);
        return new Session.Scope() {
            private boolean closed;

            @Override
            public Session session() {
                return session;
            }

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                if (Thread.currentThread() != owner) {
                    throw new IllegalStateException("a default-session scope was closed on thread "
                            + Thread.currentThread().getName() + " but opened on " + owner.getName()
                            + "; close it where it was opened (try-with-resources does)");
                }
                closed = true;
                // Remove this scope's entry even if inner scopes were left open, so nothing leaks past it.
                Deque<Session> stack = STACK.get();
                while (!stack.isEmpty()) {
                    if (stack.pop() == session) {
                        break;
                    }
                }
            }
        };
    }

    static Session current() {
        return STACK.get().peek();
    }

    static Session require(Node node) {
        Session session = current();
        if (session == null) {
            throw new NoDefaultSessionException("cannot evaluate '" + node.name() + "': this thread ("
                    + Thread.currentThread().getName() + ") has no default session. Call " + node.name()
                    + ".eval(session), or wrap the call in try (var scope = session.asDefault()) { ... }");
        }
        if (session.graph() != node.graph()) {
            throw new IllegalArgumentException("cannot evaluate '" + node.name() + "' with the default session: it runs "
                    + "another graph. Open a session of this symbol's graph (graph.newSession()) and make that the "
                    + "default, or call eval(session) with it");
        }
        return session;
    }
}
