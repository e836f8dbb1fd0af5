package dev.spotlight.server.bench;

import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.bench.EncodeBenchmark;
import dev.spotlight.server.ServerOptions;
import dev.spotlight.server.SpotlightServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code spotlight bench serve}: the server against in-process {@code embed} on the encoder benchmark
 * corpus, in one run on one machine. Clients and server share the process (and so its cores), on
 * loopback. Figures: real tokens/s with 64 clients each sending one sentence at a time against
 * {@link EncoderModel#embed} on the same sentences; p50/p99 latency at 1, 8 and 64 clients; and
 * overload: arrivals at 4× the measured capacity, answered with 429 or served without a latency
 * blow-up.
 */
public final class ServeBenchmark {
    /** @param sentences how many corpus sentences each throughput figure uses */
    public record Settings(int sentences, Duration limit, ServerOptions server) {
    }

    private ServeBenchmark() {
    }

    private static double inProcess(EncoderModel model, List<String> corpus, long tokens) {
        long t0 = System.nanoTime();
        model.embed(corpus);
        return tokens / ((System.nanoTime() - t0) / 1e9);
    }

    public static void run(EncoderModel model, Settings settings, PrintWriter out) throws InterruptedException {
        List<String> corpus = EncodeBenchmark.corpus().subList(0, settings.sentences());
        long tokens = 0;
        for (String s : corpus) {
            tokens += model.tokenizer().encode(s, null, model.options().withPadding(null)).length();
        }
        model.embed(corpus.subList(0, Math.min(256, corpus.size())));  // warm up the JIT
        out.printf(Locale.ROOT, "%s; %d sentences, %d real tokens%n", model.name(), corpus.size(), tokens);
        double before = inProcess(model, corpus, tokens);
        out.printf(Locale.ROOT, "in-process embed (batches of 64)        %10.0f real tokens/s%n", before);
        out.flush();
        try (SpotlightServer server = SpotlightServer.start(settings.server().withPort(0), List.of(model), List.of())) {
            LoadGenerator load = new LoadGenerator(server.port(), corpus);
            load.closedLoop(64, Math.min(512, corpus.size()), settings.limit());  // warm up
            LoadGenerator.Result served = load.closedLoop(64, corpus.size(), settings.limit());
            double after = inProcess(model, corpus, tokens);
            double inProcess = (before + after) / 2;  // the machine is shared: measured around the server run
            out.printf(Locale.ROOT, "in-process embed again                  %10.0f real tokens/s%n", after);
            out.printf(Locale.ROOT, "server, 64 clients, 1 sentence/request  %10.0f real tokens/s (%.0f%% of in-process)%n",
                    served.tokensPerSecond(), 100 * served.tokensPerSecond() / inProcess);
            out.println("  " + served.describe());
            out.flush();
            for (int clients : new int[] {1, 8, 64}) {
                int count = Math.min(corpus.size(), clients == 1 ? 200 : clients * 25);
                LoadGenerator.Result r = load.closedLoop(clients, count, settings.limit());
                out.printf(Locale.ROOT, "latency at %2d clients: p50 %7.1f ms, p99 %7.1f ms  (%s)%n", clients, r.p50Ms(), r.p99Ms(),
                        r.describe());
                out.flush();
            }
            double capacity = served.ok() / served.seconds();
            LoadGenerator.Result overload = load.openLoop(4 * capacity, Duration.ofSeconds(3));
            out.printf(Locale.ROOT, "overload at 4x capacity (%.0f requests/s for 3 s): %d answered 200, %d refused 429, %d other;"
                            + " admitted p50 %.1f ms, p99 %.1f ms (64 clients: p99 %.1f ms)%n",
                    4 * capacity, overload.ok(), overload.byStatus().getOrDefault(429, 0), overload.errors(), overload.p50Ms(),
                    overload.p99Ms(), served.p99Ms());
            out.flush();
        }
    }
}
