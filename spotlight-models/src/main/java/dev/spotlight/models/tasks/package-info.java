/**
 * What fine-tuned encoders are used for, with the semantics of Hugging Face transformers' Python
 * pipelines: {@link dev.spotlight.models.tasks.TaskModel} (an encoder with the head its config.json
 * names) under {@link dev.spotlight.models.tasks.TokenClassification} ({@code TokenClassificationPipeline}),
 * {@link dev.spotlight.models.tasks.QuestionAnswering} ({@code QuestionAnsweringPipeline}),
 * {@link dev.spotlight.models.tasks.TextClassification} ({@code TextClassificationPipeline}),
 * {@link dev.spotlight.models.tasks.ZeroShotClassification} ({@code ZeroShotClassificationPipeline}),
 * {@link dev.spotlight.models.tasks.FillMask} ({@code FillMaskPipeline}) and
 * {@link dev.spotlight.models.tasks.Reranker} (sentence-transformers' {@code CrossEncoder.rank}).
 * <pre>{@code
 * try (TaskModel model = TaskModel.load("path/to/squad-model", Task.QUESTION_ANSWERING)) {
 *     List<QuestionAnswering.Answer> answers = new QuestionAnswering(model)
 *             .answer("Where does Sarah live?", "My name is Sarah and I live in London.", QuestionAnswering.Options.DEFAULTS);
 * }
 * }</pre>
 * Each class says where it departs from Python; docs/ARCHITECTURE.md ("Tasks") tables which option is
 * proven against transformers.js and which by cases worked out by hand from the Python code.
 */
package dev.spotlight.models.tasks;
