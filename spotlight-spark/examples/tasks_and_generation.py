"""Every task stage and the generation stage of Spotlight's Spark module, from PySpark, one example each.

Run with the jar the build makes (./build package -pl spotlight-spark -am) and model folders every
executor can read (here local paths; on a cluster a shared file system or sparkfiles:NAME):

    spark-submit --master 'local[2]' \
        --jars spotlight-spark/target/spotlight-spark-0.1.0-SNAPSHOT-all.jar \
        --py-files spotlight-spark/python/spotlight_spark.zip \
        spotlight-spark/examples/tasks_and_generation.py \
        ner=/models/bert-base-NER qa=/models/distilbert-squad nli=/models/nli-deberta \
        sentiment=/models/sst2 mlm=/models/bert-base-uncased rerank=/models/ms-marco-MiniLM \
        lm=../shared/models/stories260K/hf

Each name=path is optional: a stage whose model is not given is skipped. (spotlight_spark.zip:
`cd spotlight-spark/python && zip -r spotlight_spark.zip spotlight_spark dev`.)
"""

import sys

from pyspark.sql import SparkSession

from spotlight_spark import (SpotlightFillMask, SpotlightGenerator, SpotlightQuestionAnswerer, SpotlightReranker,
                             SpotlightTextClassifier, SpotlightTokenClassifier, SpotlightZeroShotClassifier)

models = dict(arg.split("=", 1) for arg in sys.argv[1:])
spark = SparkSession.builder.appName("spotlight-tasks").getOrCreate()

if "ner" in models:
    texts = spark.createDataFrame([(1, "John Smith lives in New York and works at Microsoft."), (2, None), (3, "")],
                                  "id INT, text STRING")
    ner = SpotlightTokenClassifier(model=models["ner"], aggregationStrategy="simple")
    ner.transform(texts).select("id", "entities").show(truncate=False)   # [{PER, 0.99, John Smith, 0, 10}, ...]

if "sentiment" in models:
    reviews = spark.createDataFrame([(1, "A wonderful, moving film."), (2, "Dull and far too long.")], "id INT, text STRING")
    SpotlightTextClassifier(model=models["sentiment"], topK=0).transform(reviews).show(truncate=False)

if "qa" in models:
    pairs = spark.createDataFrame([(1, "Where does Sarah live?", "My name is Sarah and I live in London."),
                                   (2, "Who wrote it?", None)], "id INT, question STRING, context STRING")
    answered = SpotlightQuestionAnswerer(model=models["qa"], topK=2).transform(pairs)
    answered.selectExpr("id", "answers[0].answer AS best").show()   # London; null for the row without a context

if "nli" in models:
    news = spark.createDataFrame([(1, "The match ended in a draw after extra time.", ["sport", "politics"]),
                                  (2, "Parliament passed the budget.", ["sport", "politics", "economy"])],
                                 "id INT, text STRING, labels ARRAY<STRING>")
    SpotlightZeroShotClassifier(model=models["nli"], labelsCol="labels").transform(news).show(truncate=False)
    SpotlightZeroShotClassifier(model=models["nli"], candidateLabels=["sport", "politics"], multiLabel=True) \
        .transform(news.drop("labels")).show(truncate=False)

if "mlm" in models:
    masked = spark.createDataFrame([(1, "Paris is the [MASK] of France.")], "id INT, text STRING")
    filled = SpotlightFillMask(model=models["mlm"], topK=3).transform(masked)
    filled.selectExpr("id", "transform(fills[0], f -> f.token_str) AS words").show(truncate=False)

if "rerank" in models:
    passages = spark.createDataFrame([(1, "how do bees fly", "Bees flap their wings 230 times a second."),
                                      (2, "how do bees fly", "Paris is the capital of France.")],
                                     "id INT, query STRING, passage STRING")
    SpotlightReranker(model=models["rerank"]).transform(passages).orderBy("query", "score", ascending=False).show()

if "lm" in models:
    prompts = spark.createDataFrame([(1, "Once upon a time"), (2, "The cat sat"), (3, None)], "id INT, prompt STRING")
    stories = SpotlightGenerator(model=models["lm"], maxNewTokens=40, temperature=0.8, topP=0.95, seed=7, details=True)
    out = stories.transform(prompts.repartition(3))
    out.select("id", "generated.text", "generated.finish_reason").show(truncate=False)
    # the same seed gives the same stories whatever the partitioning
    again = stories.transform(prompts.coalesce(1))
    assert sorted(out.select("id", "generated.text").collect()) == sorted(again.select("id", "generated.text").collect())

spark.stop()
