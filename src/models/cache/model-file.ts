/**
 * The model cache's file format: a JSON header, then the raw bytes of every typed array in the
 * value, so a weight matrix of millions of floats is read back bit for bit and without a text
 * round trip. Layout: the magic `TRIAGEMC`, the header's length (uint32, little-endian), the
 * header (UTF-8 JSON), then each array's bytes at an offset aligned to 8 from the data start.
 * In the header an array is `{"$array": "Float32Array", "offset": n, "length": n}` and a number
 * JSON cannot write (NaN, Infinity) is `{"$number": "NaN"}`.
 */
import { endianness } from 'node:os';

const MAGIC = Buffer.from('TRIAGEMC', 'latin1');

const arrayTypes = {
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
} as const;
type ArrayTypeName = keyof typeof arrayTypes;
type StoredArray = InstanceType<(typeof arrayTypes)[ArrayTypeName]>;

export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

function arrayTypeName(value: unknown): ArrayTypeName | undefined {
  if (!ArrayBuffer.isView(value)) return undefined;
  const name = value.constructor.name;
  return name in arrayTypes ? (name as ArrayTypeName) : undefined;
}

const align = (offset: number) => Math.ceil(offset / 8) * 8;

export function encodeModelFile(value: unknown): Buffer {
  const arrays: StoredArray[] = [];
  let dataLength = 0;
  const header = JSON.stringify({ endianness: endianness(), value }, (_key, item: unknown) => {
    // JSON.stringify hands typed arrays to the replacer before turning them into objects.
    const type = arrayTypeName(item);
    if (type) {
      const array = item as StoredArray;
      const offset = align(dataLength);
      dataLength = offset + array.byteLength;
      arrays.push(array);
      return { $array: type, offset, length: array.length };
    }
    if (typeof item === 'number' && !Number.isFinite(item)) return { $number: String(item) };
    return item;
  });
  const headerBytes = Buffer.from(header, 'utf8');
  const dataStart = align(MAGIC.length + 4 + headerBytes.length);
  const file = Buffer.alloc(dataStart + dataLength);
  MAGIC.copy(file, 0);
  file.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(file, MAGIC.length + 4);
  let offset = 0;
  for (const array of arrays) {
    offset = align(offset);
    file.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), dataStart + offset);
    offset += array.byteLength;
  }
  return file;
}

/** The value written by `encodeModelFile`; throws ModelFileError on anything else. */
export function decodeModelFile(bytes: Buffer): unknown {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    throw new ModelFileError('not a model cache file');
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) throw new ModelFileError('truncated header');
  const dataStart = align(headerEnd);
  const array = (marker: { $array?: unknown; offset?: unknown; length?: unknown }) => {
    const type = marker.$array as ArrayTypeName;
    const { offset, length } = marker;
    if (
      !Object.hasOwn(arrayTypes, type) ||
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      (offset as number) < 0 ||
      (length as number) < 0
    )
      throw new ModelFileError('bad array reference');
    const Type = arrayTypes[type];
    const start = dataStart + (offset as number);
    const end = start + (length as number) * Type.BYTES_PER_ELEMENT;
    if (end > bytes.length) throw new ModelFileError('truncated data');
    // A view of the file's bytes where they are aligned for the type (always, for a file read
    // whole), else a copy.
    if ((bytes.byteOffset + start) % Type.BYTES_PER_ELEMENT === 0)
      return new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + start, length as number);
    return new Type(new Uint8Array(bytes.subarray(start, end)).buffer, 0, length as number);
  };
  // Markers are replaced in a walk after JSON.parse: a reviver is called for every value, and a
  // model's header holds hundreds of thousands of feature strings.
  const revive = (item: unknown): unknown => {
    if (item === null || typeof item !== 'object') return item;
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) {
        const element: unknown = item[i];
        if (element !== null && typeof element === 'object') item[i] = revive(element);
      }
      return item;
    }
    const marker = item as Record<string, unknown>;
    if (typeof marker.$number === 'string') return Number(marker.$number);
    if (typeof marker.$array === 'string') return array(marker);
    for (const key of Object.keys(marker)) marker[key] = revive(marker[key]);
    return marker;
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, headerEnd));
  } catch {
    throw new ModelFileError('unreadable header');
  }
  parsed = revive(parsed);
  const { endianness: written, value } = (parsed ?? {}) as {
    endianness?: unknown;
    value?: unknown;
  };
  // Typed arrays are stored in the writer's byte order.
  if (written !== endianness())
    throw new ModelFileError('written on a machine of other byte order');
  return value;
}
