// "Start a run": a small form for a CycleGAN or an AE/VAE pretraining run with the main
// hyperparameters. Defaults and help texts come from the API's input types; fields left
// empty are not sent, so the API's defaults apply.
import {
  DashboardInputFieldsDocument,
  DatasetsDocument,
  StartCycleGanDocument,
  StartPretrainingDocument,
  type CycleGanInput,
  type DatasetsQuery,
  type PretrainingInput,
} from '../../../generated/graphql.js';
import { api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { describeField, parseFieldValue, type InputField } from '../input-fields.js';
import { errorBox } from './error-box.js';

interface RunForm {
  title: string;
  inputType: string;
  /** Shown in this order; fields the API does not have are skipped. */
  fields: readonly string[];
  /** Queues the run; returns its id. */
  start(input: Record<string, unknown>): Promise<string>;
}

const FORMS: readonly RunForm[] = [
  {
    title: 'CycleGAN',
    inputType: 'CycleGanInput',
    fields: ['datasetId', 'epochs', 'epochsDecay', 'imageSize', 'ngf', 'nBlocks', 'ndf', 'nLayers', 'learningRate', 'lambdaCycle', 'lambdaIdentity', 'batchSize', 'poolSize', 'maxTrainImages', 'sampleImages', 'ssimImages', 'checkpointEvery', 'initA', 'initB', 'seed', 'tags'],
    start: async (input) => (await api.request(StartCycleGanDocument, { input: input as CycleGanInput })).startCycleGan.id,
  },
  {
    title: 'AE / VAE pretraining',
    inputType: 'PretrainingInput',
    fields: ['kind', 'domain', 'datasetId', 'epochs', 'imageSize', 'ngf', 'nBlocks', 'latentSize', 'learningRate', 'batchSize', 'maxTrainImages', 'sampleImages', 'ssimImages', 'checkpointEvery', 'seed', 'tags'],
    start: async (input) => (await api.request(StartPretrainingDocument, { input: input as PretrainingInput })).startPretraining.id,
  },
];

type Dataset = DatasetsQuery['datasets'][number];

/** One labelled control; `read()` gives its text. */
interface Control {
  field: InputField;
  element: HTMLElement;
  read(): string;
}

function control(field: InputField, datasets: readonly Dataset[]): Control {
  const id = `start-${field.name}`;
  let input: HTMLInputElement | HTMLSelectElement;
  if (field.name === 'datasetId') {
    input = h('select', { id, name: field.name }, datasets.map((d) => h('option', { value: d.id }, `${d.name}${d.imageSize ? ` (${d.imageSize}px)` : ''}`)));
  } else if (field.type === 'enum') {
    input = h('select', { id, name: field.name }, field.enumValues.map((v) => h('option', { value: v, selected: v === field.defaultText }, v)));
  } else {
    const numeric = field.type === 'Int' || field.type === 'Float';
    input = h('input', {
      id,
      name: field.name,
      type: numeric ? 'number' : 'text',
      step: field.type === 'Int' ? 1 : numeric ? 'any' : null,
      value: field.defaultText,
      placeholder: field.type === 'list' ? 'comma-separated' : field.defaultText ? null : 'empty: not set',
    });
  }
  const element = h('label', { class: 'field', for: id }, h('span', { class: 'field-name' }, field.name), input, field.description ? h('small', {}, field.description) : null);
  return { field, element, read: () => input.value };
}

export function startRunForm(onStarted: (runId: string) => void): HTMLElement {
  const body = h('div', { class: 'start-body' });
  const chooser = h('select', { 'aria-label': 'run type', name: 'runType' }, FORMS.map((f, i) => h('option', { value: i }, f.title)));
  const details = h('details', { class: 'start-run' }, h('summary', {}, 'Start a run'), h('div', { class: 'start-chooser' }, 'Type: ', chooser), body);
  const fieldsByType = new Map<string, Promise<InputField[]>>();
  let datasets: Promise<readonly Dataset[]> | null = null;

  const fieldsOf = (inputType: string): Promise<InputField[]> => {
    if (!fieldsByType.has(inputType)) {
      const read = api.request(DashboardInputFieldsDocument, { name: inputType }).then(({ __type }) => {
        if (!__type?.inputFields) throw new Error(`the API has no input type ${inputType}`);
        return __type.inputFields.map(describeField);
      });
      read.catch(() => fieldsByType.delete(inputType));
      fieldsByType.set(inputType, read);
    }
    return fieldsByType.get(inputType)!;
  };

  const show = async (): Promise<void> => {
    const form = FORMS[Number(chooser.value)];
    replaceChildren(body, h('p', { class: 'muted' }, 'Loading the API defaults…'));
    try {
      datasets ??= api.request(DatasetsDocument).then((r) => r.datasets);
      const [all, known] = await Promise.all([fieldsOf(form.inputType), datasets]);
      const byName = new Map(all.map((f) => [f.name, f]));
      const controls = form.fields.flatMap((name) => (byName.has(name) ? [control(byName.get(name)!, known)] : []));
      renderForm(form, controls);
    } catch (error) {
      datasets = null;
      replaceChildren(body, errorBox(error, 'Cannot load the form'));
    }
  };

  const renderForm = (form: RunForm, controls: Control[]): void => {
    const messages = h('div', { class: 'form-messages' });
    const submit = h('button', { type: 'submit' }, `Start ${form.title}`);
    const element = h('form', { class: 'start-form' }, h('div', { class: 'fields' }, controls.map((c) => c.element)), h('div', { class: 'form-footer' }, submit, messages));
    element.addEventListener('submit', async (event) => {
      event.preventDefault();
      const input: Record<string, unknown> = {};
      const problems: string[] = [];
      for (const c of controls) {
        const parsed = parseFieldValue(c.field, c.read());
        if ('error' in parsed) problems.push(parsed.error);
        else if ('value' in parsed) input[c.field.name] = parsed.value;
      }
      if (problems.length) {
        replaceChildren(messages, errorBox(new Error(problems.join('; ')), 'Check the form'));
        return;
      }
      submit.disabled = true;
      try {
        onStarted(await form.start(input));
      } catch (error) {
        replaceChildren(messages, errorBox(error, 'The API refused the run'));
      } finally {
        submit.disabled = false;
      }
    });
    replaceChildren(body, element);
  };

  chooser.addEventListener('change', () => void show());
  details.addEventListener('toggle', () => {
    if (details.open && !body.hasChildNodes()) void show();
  });
  return details;
}
