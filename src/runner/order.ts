// Build order of models: a topological sort of their references, ties broken by file path so the
// order is the same on every machine; unknown references and cycles are errors a user can fix.
import { ClaimlensError } from '../errors.ts';
import type { Model } from './model.ts';
import { MODEL_LAYERS } from './sqltext.ts';

/** Models each model reads, restricted to the given set; throws on a reference to an unknown model. */
export function dependencies(models: readonly Model[]): Map<Model, Model[]> {
  const byId = new Map<string, Model>();
  for (const m of models) {
    const twin = byId.get(m.id);
    if (twin) {
      throw new ClaimlensError('model', `${m.id} is defined twice: here and in ${twin.file}`, {
        file: m.file,
        line: 1,
      });
    }
    byId.set(m.id, m);
  }
  const unknown: { model: Model; target: string; line: number }[] = [];
  const deps = new Map<Model, Model[]>();
  for (const m of models) {
    const list: Model[] = [];
    for (const ref of m.references) {
      const dep = byId.get(ref.target);
      if (!dep) unknown.push({ model: m, target: ref.target, line: ref.line });
      else if (!list.includes(dep)) list.push(dep);
    }
    deps.set(m, list);
  }
  if (unknown.length > 0) {
    const first = unknown[0]!;
    const more =
      unknown.length > 1
        ? `\n${unknown
            .slice(1)
            .map((u) => `  ${u.model.file}:${u.line}: unknown model ${u.target}`)
            .join('\n')}`
        : '';
    throw new ClaimlensError(
      'model',
      `unknown model ${first.target}: no file ${first.target.replace('.', '/')}.sql under the models directory (check the name, or that the model was not renamed)${more}`,
      { file: first.model.file, line: first.line },
    );
  }
  return deps;
}

/**
 * Orders models so each comes after the models it references; among models ready at the same time,
 * the one of the earlier layer (staging, intermediate, marts), then of the smaller path, first. Throws a ClaimlensError naming an unknown reference (file and
 * line) or a cycle (`a -> b -> a`).
 */
export function orderModels(models: readonly Model[]): Model[] {
  const deps = dependencies(models);
  // Layer first, so progress reads staging, intermediate, marts whenever references allow it.
  const rank = (m: Model) => MODEL_LAYERS.indexOf(m.layer);
  const byPath = [...models].sort((a, b) =>
    rank(a) !== rank(b) ? rank(a) - rank(b) : a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0,
  );
  const done = new Set<Model>();
  const ordered: Model[] = [];
  while (ordered.length < byPath.length) {
    const next = byPath.find((m) => !done.has(m) && deps.get(m)!.every((d) => done.has(d)));
    if (!next)
      throw cycleError(
        byPath.filter((m) => !done.has(m)),
        deps,
      );
    done.add(next);
    ordered.push(next);
  }
  return ordered;
}

function cycleError(remaining: Model[], deps: Map<Model, Model[]>): ClaimlensError {
  // Every remaining model waits on another remaining one, so walking dependencies must revisit a model.
  const left = new Set(remaining);
  const path: Model[] = [];
  let current = remaining[0]!;
  while (!path.includes(current)) {
    path.push(current);
    current = deps.get(current)!.find((d) => left.has(d))!;
  }
  const cycle = [...path.slice(path.indexOf(current)), current];
  const files = [...new Set(cycle.map((m) => m.file))].join(', ');
  return new ClaimlensError(
    'model',
    `models reference each other in a cycle: ${cycle.map((m) => m.id).join(' -> ')} (files: ${files}); break the cycle`,
    { file: cycle[0]!.file },
  );
}
