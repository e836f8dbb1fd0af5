package dev.spotlight.spark;

import dev.spotlight.models.Capture;
import dev.spotlight.models.tasks.Reranker;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Query ({@code inputCol}, default {@code query}) and passage ({@code passageCol}) → the cross-encoder's
 * relevance score (double), each row the score the library's {@link Reranker} gives that passage for that
 * query (sentence-transformers' {@code CrossEncoder.rank}: the pair cut at the model's limit, longest
 * first, its logit through the model's activation, sigmoid unless config.json says identity). Rank by
 * sorting on the column within a query. A null query or passage gives null; an empty one is scored as
 * the library scores it. The rows of a batch that share a query go through the library together.
 */
public final class SpotlightReranker extends TaskStage<SpotlightReranker> {
    private final Param<String> passageCol = new Param<>(this, "passageCol", "the passage (document) column (string)");

    public SpotlightReranker() {
        this(Identifiable.randomUID("spotlightReranker"));
    }

    public SpotlightReranker(String uid) {
        super(uid, "query", "score", Task.SEQUENCE_CLASSIFICATION);
        setDefault(passageCol, "passage");
    }

    public static MLReader<SpotlightReranker> read() {
        return new DefaultParamsReader<>();
    }

    public static SpotlightReranker load(String path) {
        return read().load(path);
    }

    public Param<String> passageCol() {
        return passageCol;
    }

    public String getPassageCol() {
        return getOrDefault(passageCol);
    }

    public SpotlightReranker setPassageCol(String value) {
        return (SpotlightReranker) set(passageCol, value);
    }

    @Override
    SecondInput secondInput() {
        return new SecondInput("passageCol", getPassageCol(), false);
    }

    @Override
    protected DataType outputColumnType() {
        return DataTypes.DoubleType;
    }

    @Override
    protected BatchKernel kernel() {
        return new Kernel();
    }

    private static final class Kernel extends TaskKernel {
        Kernel() {
            super(Task.SEQUENCE_CLASSIFICATION);
        }

        @Override
        Object[] run(TaskModel model, StageSettings settings, List<String> queries, List<?> passages) {
            Reranker reranker = pipeline(settings, () -> new Reranker(model));
            Map<String, List<Integer>> byQuery = new LinkedHashMap<>();   // query → its rows, in order
            for (int i = 0; i < queries.size(); i++) {
                if (passages.get(i) != null) {
                    byQuery.computeIfAbsent(queries.get(i), q -> new ArrayList<>()).add(i);
                }
            }
            Object[] out = new Object[queries.size()];
            for (Map.Entry<String, List<Integer>> query : byQuery.entrySet()) {
                List<Integer> rows = query.getValue();
                List<String> documents = rows.stream().map(i -> (String) passages.get(i)).toList();
                for (Reranker.Ranked ranked : reranker.rank(query.getKey(), documents, null, Capture.NONE).ranking()) {
                    out[rows.get(ranked.corpusId())] = ranked.score();
                }
            }
            return out;
        }
    }
}
