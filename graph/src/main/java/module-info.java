/**
 * The graph runtime: graphs and sessions over any backend ({@link org.tensorbridge.graph.Graphs}),
 * with hand-over of results and fusion of elementwise chains as optional backend hooks
 * ({@link org.tensorbridge.graph.GraphSupport}).
 */
module org.tensorbridge.graph {
    requires transitive org.tensorbridge;

    exports org.tensorbridge.graph;
}
