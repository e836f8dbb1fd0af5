package dev.spotlight.explain;

import java.util.Arrays;

/**
 * Dinic's maximum flow on a graph with real-valued capacities. Edges are stored in flat arrays
 * (edge {@code e} and its reverse {@code e ^ 1}) so the attention graph of a 12-layer model needs no
 * per-edge objects. Capacities below {@link #EPSILON} count as saturated: attention probabilities are
 * floats, so exact zero residuals would never be reached.
 */
final class MaxFlow {
    static final double EPSILON = 1e-12;

    private final int nodes;
    private final int[] head;     // [nodes]: first edge leaving the node, -1 if none
    private final int[] next;     // [edges]: next edge leaving the same node
    private final int[] to;       // [edges]
    private final double[] capacity; // [edges]: original capacity, kept for resets
    private final double[] residual; // [edges]
    private int edges;
    private final int[] level;
    private final int[] cursor;
    private final int[] queue;

    MaxFlow(int nodes, int maxEdges) {
        this.nodes = nodes;
        this.head = new int[nodes];
        Arrays.fill(head, -1);
        this.next = new int[2 * maxEdges];
        this.to = new int[2 * maxEdges];
        this.capacity = new double[2 * maxEdges];
        this.residual = new double[2 * maxEdges];
        this.level = new int[nodes];
        this.cursor = new int[nodes];
        this.queue = new int[nodes];
    }

    void addEdge(int from, int target, double cap) {
        link(from, target, cap);
        link(target, from, 0);
    }

    private void link(int from, int target, double cap) {
        to[edges] = target;
        capacity[edges] = cap;
        next[edges] = head[from];
        head[from] = edges;
        edges++;
    }

    /** The maximum flow from {@code source} to {@code sink}, starting from zero flow each call. */
    double solve(int source, int sink) {
        System.arraycopy(capacity, 0, residual, 0, edges);
        double total = 0;
        while (buildLevels(source, sink)) {
            System.arraycopy(head, 0, cursor, 0, nodes);
            double pushed;
            while ((pushed = push(source, sink, Double.POSITIVE_INFINITY)) > EPSILON) {
                total += pushed;
            }
        }
        return total;
    }

    private boolean buildLevels(int source, int sink) {
        Arrays.fill(level, -1);
        int qHead = 0;
        int qTail = 0;
        queue[qTail++] = source;
        level[source] = 0;
        while (qHead < qTail) {
            int u = queue[qHead++];
            for (int e = head[u]; e != -1; e = next[e]) {
                if (residual[e] > EPSILON && level[to[e]] < 0) {
                    level[to[e]] = level[u] + 1;
                    queue[qTail++] = to[e];
                }
            }
        }
        return level[sink] >= 0;
    }

    // Depth is bounded by the number of layers + 1, so recursion is shallow.
    private double push(int u, int sink, double limit) {
        if (u == sink) {
            return limit;
        }
        for (; cursor[u] != -1; cursor[u] = next[cursor[u]]) {
            int e = cursor[u];
            int v = to[e];
            if (residual[e] > EPSILON && level[v] == level[u] + 1) {
                double pushed = push(v, sink, Math.min(limit, residual[e]));
                if (pushed > EPSILON) {
                    residual[e] -= pushed;
                    residual[e ^ 1] += pushed;
                    return pushed;
                }
            }
        }
        return 0;
    }
}
