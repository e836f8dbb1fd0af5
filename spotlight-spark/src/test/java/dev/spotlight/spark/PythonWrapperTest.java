package dev.spotlight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;

/**
 * The PySpark wrapper (python/spotlight_spark) forwards params to the JVM stages by name and builds them
 * by class name: a param or class renamed on one side only would fail at a user's first call. No
 * pyspark is installable on the build machine, so this checks the contract from the JVM side.
 */
class PythonWrapperTest {
    private static final Pattern CLASS = Pattern.compile("^class (\\w+)\\((\\w+)[,)]", Pattern.MULTILINE);
    private static final Pattern PARAM = Pattern.compile("^    (\\w+) = Param\\(Params\\._dummy\\(\\), \"(\\w+)\"", Pattern.MULTILINE);

    @Test
    void pythonWrapperDeclaresExactlyTheJvmStagesAndParams() throws Exception {
        String source = Files.readString(Path.of("python/spotlight_spark/__init__.py"));
        Map<String, Set<String>> declared = new TreeMap<>();
        Map<String, String> parents = new TreeMap<>();
        List<Integer> starts = new ArrayList<>();
        Matcher c = CLASS.matcher(source);
        while (c.find()) {
            starts.add(c.start());
            parents.put(c.group(1), c.group(2));
        }
        starts.add(source.length());
        List<String> names = new ArrayList<>(parents.keySet().stream().sorted((a, b) -> source.indexOf("class " + a + "(")
                - source.indexOf("class " + b + "(")).toList());
        for (int i = 0; i < names.size(); i++) {
            Matcher p = PARAM.matcher(source.substring(starts.get(i), starts.get(i + 1)));
            Set<String> params = new TreeSet<>();
            while (p.find()) {
                assertEquals(p.group(1), p.group(2), "the Python attribute is named as its param");
                params.add(p.group(2));
            }
            declared.put(names.get(i), params);
        }
        Map<String, SpotlightStage<?>> jvm = Map.of("SpotlightTokenizer", new SpotlightTokenizer(),
                "SpotlightEmbedder", new SpotlightEmbedder(), "SpotlightAttentionSummary", new SpotlightAttentionSummary());
        for (Map.Entry<String, SpotlightStage<?>> stage : jvm.entrySet()) {
            String name = stage.getKey();
            assertEquals("_SpotlightStage", parents.get(name), name + " in the wrapper");
            Set<String> python = new TreeSet<>(declared.get(name));
            python.addAll(declared.get("_SpotlightStage"));
            Set<String> java = new TreeSet<>();
            for (Param<?> param : stage.getValue().params()) {
                java.add(param.name());
            }
            assertEquals(java, python, name + ": params of the JVM stage and of its Python wrapper");
            assertEquals("dev.spotlight.spark." + name, stage.getValue().getClass().getName());
        }
        String shim = Files.readString(Path.of("python/dev/spotlight/spark/__init__.py"));
        for (String name : jvm.keySet()) {
            assertTrue(shim.contains(name), "PipelineModel.load in PySpark imports dev.spotlight.spark." + name);
        }
    }
}
