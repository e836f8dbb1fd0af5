// transformers.js 4.3.2 (npm @huggingface/transformers, ONNX Runtime for Node) running its pipelines,
// fully offline, on the models TaskOracleModels writes: all-MiniLM-L6-v2's real ONNX export with random
// task heads appended as ONNX nodes. Its answers are the oracle for Spotlight's pipelines.
//
//   cd spotlight-models/goldens/tasks && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save
//   node transformers_js.mjs [../../target/task-oracle] [../../src/test/resources/goldens/tasks/transformers-js.json]
//
// The model folder comes from any spotlight-models test that builds it (e.g. OnnxHeadsTest). Each model
// file's SHA-256 is written into the goldens so the Java tests know they compare the same bytes.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline, AutoTokenizer, AutoModelForSequenceClassification } from '@huggingface/transformers';

const here = path.dirname(new URL(import.meta.url).pathname);
const models = path.resolve(process.argv[2] ?? path.join(here, '../../target/task-oracle'));
const out = path.resolve(process.argv[3] ?? path.join(here, '../../src/test/resources/goldens/tasks/transformers-js.json'));
env.allowRemoteModels = false;
env.localModelPath = models + '/';
const options = { dtype: 'fp32', device: 'cpu' };

const TEXTS = [
  'My name is Sarah Jones and I live in London.',
  'Hugging Face Inc. is a company based in New York City.',
  'Zoë Ångström met José in São Paulo yesterday.',
  "Apple's CEO Tim Cook visited Paris, France in 2024!",
];
const QUESTIONS = [
  ['Where does Sarah live?', 'My name is Sarah Jones and I live in London. I work as an engineer at a small company.'],
  ['What is the capital of France?', 'Paris is the capital and most populous city of France, with an estimated population of two million.'],
  ['Who met José?', 'Zoë Ångström met José in São Paulo yesterday.'],
];
const MASKED = ['The capital of France is [MASK].', 'My name is [MASK] and I live in London.', 'Hugging Face is a [MASK] company.'];
const QUERY = 'Where does Sarah live?';
const DOCUMENTS = ['Sarah Jones lives in London.', 'Paris is the capital of France.', 'The cat sat on the mat.', 'London is a city.'];

const sha256 = (name) => createHash('sha256').update(readFileSync(path.join(models, name, 'onnx/model.onnx'))).digest('hex');
const golden = { transformers_js: '4.3.2', models: {} };
for (const name of ['ner', 'qa', 'nli', 'toxic', 'cross-encoder', 'mlm']) golden.models[name] = sha256(name);

const ner = await pipeline('token-classification', 'ner', options);
golden.token_classification = [];
for (const text of TEXTS) {
  for (const opts of [{}, { aggregation_strategy: 'simple', ignore_labels: [] }]) {
    golden.token_classification.push({ text, options: opts, output: await ner(text, opts) });
  }
}

const qa = await pipeline('question-answering', 'qa', options);
golden.question_answering = [];
for (const [question, context] of QUESTIONS) {
  for (const top_k of [1, 3]) {
    const output = await qa(question, context, { top_k });
    golden.question_answering.push({ question, context, top_k, output: Array.isArray(output) ? output : [output] });
  }
}

golden.text_classification = [];
for (const name of ['nli', 'toxic']) {
  const classify = await pipeline('text-classification', name, options);
  for (const text of TEXTS) {
    for (const top_k of [1, 3]) {
      const output = await classify(text, { top_k });
      golden.text_classification.push({ model: name, text, top_k, output: top_k === 1 ? output : output });
    }
  }
}

const zeroShot = await pipeline('zero-shot-classification', 'nli', options);
golden.zero_shot = [];
for (const [labels, opts] of [
  [['business', 'travel', 'sports', 'cooking'], {}],
  [['business', 'travel', 'sports', 'cooking'], { multi_label: true }],
  [['business', 'travel'], { hypothesis_template: 'This text is about {}.' }],
  [['business'], {}],
]) {
  for (const text of TEXTS.slice(0, 2)) {
    golden.zero_shot.push({ text, labels, options: opts, output: await zeroShot(text, labels, opts) });
  }
}

const fill = await pipeline('fill-mask', 'mlm', options);
golden.fill_mask = [];
for (const text of MASKED) {
  for (const top_k of [5, 3]) {
    golden.fill_mask.push({ text, top_k, output: await fill(text, { top_k }) });
  }
}

// Reranking has no transformers.js pipeline: the cross-encoder's raw logits for each (query, document) pair.
const tokenizer = await AutoTokenizer.from_pretrained('cross-encoder');
const crossEncoder = await AutoModelForSequenceClassification.from_pretrained('cross-encoder', options);
golden.cross_encoder = { query: QUERY, documents: DOCUMENTS, logits: [] };
for (const document of DOCUMENTS) {
  const inputs = tokenizer(QUERY, { text_pair: document });
  const { logits } = await crossEncoder(inputs);
  golden.cross_encoder.logits.push(Array.from(logits.data));
}

writeFileSync(out, JSON.stringify(golden, null, 1) + '\n');
console.log('wrote', out);
