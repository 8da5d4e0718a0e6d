// What customers can order: specs (from the fleet in service) and images (root-filesystem
// archives on disk, each for some models, one default per model). Operators add and retire images.
import { existsSync } from 'node:fs';
import type { Actor } from '../core/actor.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import type { PicloudContext } from './context.js';
import type { PiModel } from './models.js';
import { apiModelOf, isPiModel, piModels } from './models.js';
import type { ImageRow } from './store.js';

export interface ImageView {
  name: string;
  label: string;
  archive: string;
  models: PiModel[];
  defaultFor: PiModel[];
  retired: boolean;
}

export interface SpecView {
  model: PiModel;
  apiModel: number;
  memoryMb: number;
  cpuMhz: number;
  nicMbps: number;
  total: number;
  free: number;
}

const modelsOf = (row: ImageRow) => row.models.split(',').filter(isPiModel);

export function createCatalogue(ctx: PicloudContext) {
  const { store } = ctx;

  async function images(): Promise<ImageView[]> {
    const defaults = await store.imageDefaults();
    return (await store.images()).map((row) => ({
      name: row.name,
      label: row.label,
      archive: row.archive,
      models: modelsOf(row),
      defaultFor: defaults.filter((d) => d.image === row.name).map((d) => d.model),
      retired: row.retired_at !== null,
    }));
  }

  return {
    images,

    /** Images on offer for a board, default first. */
    async imagesFor(model: PiModel): Promise<ImageView[]> {
      const all = (await images()).filter((i) => !i.retired && i.models.includes(model));
      return all.sort(
        (a, b) => Number(b.defaultFor.includes(model)) - Number(a.defaultFor.includes(model)),
      );
    },

    /** The image row to install: the one asked for (if offered for the model), else the default. */
    async resolveImage(model: PiModel, name: string | null | undefined): Promise<ImageRow> {
      if (name) {
        const row = await store.image(name);
        if (!row || row.retired_at !== null || !modelsOf(row).includes(model))
          throw new ValidationError(`The image "${name}" is not available for a Pi ${model}.`);
        return row;
      }
      const d = (await store.imageDefaults()).find((x) => x.model === model);
      const row = d && (await store.image(d.image));
      if (!row)
        throw new ValidationError(`There is no default image for a Pi ${model}; choose one.`);
      return row;
    },

    /** Specs of the Pis in service, lowest first, with how many are free now. */
    async specs(): Promise<SpecView[]> {
      return (await store.specs()).map((s) => ({
        model: s.model,
        apiModel: apiModelOf[s.model],
        memoryMb: s.memory_mb,
        cpuMhz: s.cpu_mhz,
        nicMbps: s.nic_mbps,
        total: Number(s.total),
        free: Number(s.free ?? 0),
      }));
    },

    /** Add an image archive already on disk (tar, or tar.zst) for some models. */
    async addImage(
      input: {
        name: string;
        label: string;
        archive: string;
        models: string[];
        defaultUser?: string;
      },
      actor: Actor,
    ): Promise<void> {
      const problems: string[] = [];
      if (!/^[a-z0-9][a-z0-9._+:-]{0,99}$/.test(input.name))
        problems.push('An image name is lower-case letters, digits and . _ + : -');
      if (!input.label.trim()) problems.push('Give the image a label customers will read.');
      if (!/\.tar(\.zst)?$/.test(input.archive) || !existsSync(input.archive))
        problems.push(`No .tar or .tar.zst archive at ${input.archive}.`);
      const models = input.models.filter(isPiModel);
      if (models.length === 0 || models.length !== input.models.length)
        problems.push(`Choose the models it supports from ${piModels.join(', ')}.`);
      if (problems.length > 0) throw new ValidationError('The image could not be added.', problems);
      if (await store.image(input.name)) throw new ConflictError(`Image ${input.name} exists.`);
      await store.insertImage({
        name: input.name,
        label: input.label.trim(),
        archive: input.archive,
        default_user: input.defaultUser?.trim() || null,
        models: models.join(','),
        retired_at: null,
        created_at: ctx.now(),
      });
      await ctx.audit.record({
        actor,
        ownerAccountId: null,
        action: 'pi.image_added',
        objectType: 'pi_image',
        objectId: input.name,
        after: { ...input, models },
      });
    },

    /** No longer offered; Pis already running it keep it until they are re-imaged. */
    async retireImage(name: string, actor: Actor): Promise<void> {
      const row = await store.image(name);
      if (!row) throw new NotFoundError('Image');
      await store.retireImage(name, ctx.now());
      await ctx.audit.record({
        actor,
        ownerAccountId: null,
        action: 'pi.image_retired',
        objectType: 'pi_image',
        objectId: name,
      });
    },

    async setDefault(model: string, name: string, actor: Actor): Promise<void> {
      if (!isPiModel(model)) throw new ValidationError(`There is no Pi model "${model}".`);
      const row = await store.image(name);
      if (!row || row.retired_at !== null || !modelsOf(row).includes(model))
        throw new ValidationError(`Image ${name} is not offered for a Pi ${model}.`);
      await store.setImageDefault(model, name);
      await ctx.audit.record({
        actor,
        ownerAccountId: null,
        action: 'pi.image_default',
        objectType: 'pi_image',
        objectId: name,
        after: { model },
      });
    },
  };
}

export type Catalogue = ReturnType<typeof createCatalogue>;
