#!/usr/bin/env python3
"""Writes the crafted hostile inputs that HostileInputsTest feeds to every file reader.

Each file is one way a file can be wrong on purpose or by accident: a size or count that does not fit the
file, a number out of range or of the wrong type, another kind of file, a bomb. Run from the repository root;
it rewrites legodnn/src/test/resources/hostile/ (except the ONNX models, which MakeHostileOnnx.java writes
and the EXPECTED.tsv files, which are reviewed by hand). Deterministic: the same files every time.
"""
import gzip
import json
import os
import shutil
import struct
import zlib

ROOT = "legodnn/src/test/resources/hostile"
REF = "testdata/legodnn-resnet18-cifar100"


def out(category, name, data):
    path = os.path.join(ROOT, category, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def gz(data):
    return gzip.compress(data, mtime=0)


# ---- safetensors ---------------------------------------------------------------------------------------

def st(header, data=b"", length=None):
    h = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(h) if length is None else length & 0xFFFFFFFFFFFFFFFF) + h + data


def t(dtype="F32", shape=(1,), offsets=(0, 4)):
    return {"dtype": dtype, "shape": list(shape), "data_offsets": list(offsets)}


def safetensors():
    c = "safetensors"
    out(c, "empty.safetensors", b"")
    out(c, "three_bytes.safetensors", b"\x01\x02\x03")
    out(c, "header_length_huge.safetensors", st({"a": t()}, b"\0" * 4, length=1 << 62))
    out(c, "header_length_negative.safetensors", st({"a": t()}, b"\0" * 4, length=-8))
    out(c, "header_length_beyond_file.safetensors", st({"a": t()}, b"\0" * 4, length=4096))
    out(c, "header_length_one.safetensors", st(b"{", b"}", length=1))
    out(c, "header_not_json.safetensors", st(b"this is not json"))
    out(c, "header_json_array.safetensors", st(b"[1, 2, 3]"))
    out(c, "header_json_null.safetensors", st(b"null    "))
    out(c, "header_truncated_json.safetensors", st(b'{"a": {"dtype": "F32", "shape": [1], "data_'))
    out(c, "header_deeply_nested.safetensors", st(b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}"))
    out(c, "header_invalid_utf8.safetensors", st(b'{"\xff\xfe": {"dtype": "F32"}}'))
    out(c, "tensor_not_object.safetensors", st({"a": [1, 2]}, b"\0" * 4))
    out(c, "tensor_missing_dtype.safetensors", st({"a": {"shape": [1], "data_offsets": [0, 4]}}, b"\0" * 4))
    out(c, "dtype_number.safetensors", st({"a": t(dtype=7)}, b"\0" * 4))
    out(c, "dtype_unknown_huge_dims.safetensors", st({"t": t("X9", (100000, 100000), (0, 8))}, b"\0" * 8))
    out(c, "shape_not_list.safetensors", st({"a": t() | {"shape": 4}}, b"\0" * 4))
    out(c, "shape_fraction.safetensors", st({"a": t(shape=(2.5,), offsets=(0, 8))}, b"\0" * 8))
    out(c, "shape_negative.safetensors", st({"a": t(shape=(-3,), offsets=(0, 8))}, b"\0" * 8))
    out(c, "shape_string.safetensors", st({"a": t(shape=("4",), offsets=(0, 16))}, b"\0" * 16))
    out(c, "shape_beyond_int.safetensors", st({"a": t(shape=(3000000000,), offsets=(0, 8))}, b"\0" * 8))
    out(c, "shape_rank_100.safetensors", st({"a": t(shape=(1,) * 100, offsets=(0, 4))}, b"\0" * 4))
    out(c, "shape_product_overflows.safetensors", st({"a": t(shape=(2000000000,) * 3, offsets=(0, 8))}, b"\0" * 8))
    out(c, "shape_announces_gigabytes.safetensors", st({"a": t(shape=(65536, 65536), offsets=(0, 8))}, b"\0" * 8))
    out(c, "offsets_missing.safetensors", st({"a": {"dtype": "F32", "shape": [1]}}, b"\0" * 4))
    out(c, "offsets_three.safetensors", st({"a": t(offsets=(0, 4, 8))}, b"\0" * 8))
    out(c, "offsets_fraction.safetensors", st({"a": t(offsets=(0, 4.5))}, b"\0" * 8))
    out(c, "offsets_negative.safetensors", st({"a": t(offsets=(-4, 0))}, b"\0" * 4))
    out(c, "offsets_reversed.safetensors", st({"a": t(offsets=(4, 0))}, b"\0" * 4))
    out(c, "offsets_beyond_data.safetensors", st({"a": t(shape=(1000,), offsets=(0, 4000))}, b"\0" * 4))
    out(c, "offsets_huge.safetensors", st({"a": t(offsets=(0, 1 << 62))}, b"\0" * 4))
    out(c, "size_mismatch.safetensors", st({"a": t(shape=(3,), offsets=(0, 8))}, b"\0" * 8))
    out(c, "overlapping_ranges.safetensors", st({"a": t(shape=(2,), offsets=(0, 8)), "b": t(shape=(2,), offsets=(4, 12))}, b"\0" * 12))
    out(c, "same_range_twice.safetensors", st({"a": t(shape=(2,), offsets=(0, 8)), "b": t(shape=(2,), offsets=(0, 8))}, b"\0" * 8))
    out(c, "gap_before_tensor.safetensors", st({"a": t(offsets=(4, 8))}, b"\0" * 8))
    out(c, "trailing_data.safetensors", st({"a": t()}, b"\0" * 12))
    out(c, "metadata_not_object.safetensors", st({"__metadata__": [1], "a": t()}, b"\0" * 4))
    out(c, "metadata_number_value.safetensors", st({"__metadata__": {"epoch": 3}, "a": t()}, b"\0" * 4))
    out(c, "control_chars_in_name.safetensors", st({"a\nb\u0007": t(shape=(-1,))}, b"\0" * 4))
    out(c, "u8_tensor.safetensors", st({"mask": t("U8", (4,), (0, 4))}, b"\1\0\1\0"))
    out(c, "bool_tensor.safetensors", st({"flag": t("BOOL", (1,), (0, 1))}, b"\1"))
    # files of other kinds given where safetensors belongs
    out(c, "pytorch_zip.pth", b"PK\x03\x04\x00\x00\x08\x08\x00\x00" + b"\0" * 20 + b"archive/data.pkl")
    out(c, "pytorch_legacy_pickle2.pth", b"\x80\x02\x8a\x0alp\xfc\x9cF\xf9\x20j\xa8P\x19.\x80\x02M\xe9\x03.")
    out(c, "pytorch_legacy_pickle4.pt", b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94K\x01s.")
    out(c, "numpy.npy", b"\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }" + b" " * 40 + b"\n")
    out(c, "gzipped.safetensors.gz", gz(st({"a": t()}, b"\0" * 4)))
    out(c, "keras.h5", b"\x89HDF\r\n\x1a\n" + b"\0" * 32)
    out(c, "onnx_model.onnx", b"\x08\x07\x12\x07pytorch\x1a\x061.13.0:\x00")
    out(c, "text.txt", b"weights = [1, 2, 3]\n")


def checkpoints():
    c = "checkpoint"
    meta = lambda m: st({"__metadata__": m, "w": t()}, b"\0" * 4)
    out(c, "epoch_word.safetensors", meta({"format": "legodnn-checkpoint", "epoch": "three"}))
    out(c, "epoch_negative.safetensors", meta({"format": "legodnn-checkpoint", "epoch": "-1"}))
    out(c, "epoch_beyond_int.safetensors", meta({"format": "legodnn-checkpoint", "epoch": "99999999999"}))
    out(c, "epoch_fraction.safetensors", meta({"format": "legodnn-checkpoint", "epoch": "2.5"}))
    out(c, "u8_weight.safetensors", st({"__metadata__": {"format": "legodnn-weights"}, "w": t("U8", (4,), (0, 4))}, b"\0" * 4))
    out(c, "pytorch_zip.pth", b"PK\x03\x04" + b"\0" * 40)
    out(c, "truncated.safetensors", st({"w": t(shape=(16,), offsets=(0, 64))}, b"\0" * 64)[:-10])


# ---- IDX ---------------------------------------------------------------------------------------------

def idx(dims, data=None, type_byte=0x08, rank=None):
    r = len(dims) if rank is None else rank
    head = bytes([0, 0, type_byte, r & 0xFF]) + b"".join(struct.pack(">i", d) for d in dims)
    if data is None:
        n = 1
        for d in dims:
            n *= d
        data = bytes(i % 251 for i in range(n))
    return head + data


def idx_files():
    c = "idx"
    out(c, "empty-idx3-ubyte", b"")
    out(c, "three_bytes-idx3-ubyte", b"\0\0\x08")
    out(c, "bad_magic-idx3-ubyte", b"\x12\x34\x08\x03" + b"\0" * 12)
    out(c, "float_type-idx3-ubyte", idx((2, 2, 2), b"\0" * 32, type_byte=0x0D))
    out(c, "rank_zero-idx3-ubyte", bytes([0, 0, 8, 0]))
    out(c, "rank_five-idx3-ubyte", idx((1, 1, 1, 1, 1)))
    out(c, "rank_255-idx3-ubyte", bytes([0, 0, 8, 255]) + b"\0" * 64)
    out(c, "negative_dimension-idx3-ubyte", idx((-5, 28, 28), b""))
    out(c, "dimensions_overflow-idx3-ubyte", idx((0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF), b"\0" * 16))
    out(c, "announces_2GB-idx3-ubyte", idx((2_000_000, 28, 28), b"\0" * 64))
    out(c, "truncated-idx3-ubyte", idx((10, 28, 28), b"\0" * 100))
    out(c, "trailing_bytes-idx3-ubyte", idx((2, 2, 2), b"\0" * 9))
    out(c, "labels_truncated-idx1-ubyte", idx((100,), b"\0" * 10))
    out(c, "zero_images-idx3-ubyte", idx((0, 28, 28), b""))
    out(c, "zero_width-idx3-ubyte", idx((5, 28, 0), b""))
    # gzipped
    out(c, "gzip_bomb_header-idx3-ubyte.gz", gz(idx((2_000_000, 28, 28), b"\0" * 65536)))
    out(c, "gzip_promises_more_than_it_can-idx3-ubyte.gz", gz(idx((700_000, 28, 28), b"\0" * 1024)))
    out(c, "gzip_truncated-idx3-ubyte.gz", gz(idx((4, 8, 8)))[:-20])
    full = bytearray(gz(idx((4, 8, 8))))
    full[20] ^= 0xFF
    full[21] ^= 0x55
    out(c, "gzip_corrupt-idx3-ubyte.gz", bytes(full))
    out(c, "gzip_header_only-idx3-ubyte.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")
    out(c, "gzip_trailing_values-idx3-ubyte.gz", gz(idx((2, 2, 2), b"\0" * 8 + b"\0" * 1000)))
    out(c, "gzip_of_nothing-idx3-ubyte.gz", gz(b""))
    out(c, "gzip_of_text-idx3-ubyte.gz", gz(b"images go here\n"))
    out(c, "labels_as_images-idx1-ubyte", idx((3,), b"\0\1\2"))
    out(c, "png_given_as_idx", b"\x89PNG\r\n\x1a\n" + b"\0" * 24)


# ---- CIFAR -------------------------------------------------------------------------------------------

def cifar():
    c = "cifar"
    out(c, "empty.bin", b"")
    out(c, "one_byte.bin", b"\x03")
    out(c, "record_and_a_bit.bin", b"\x01" + b"\0" * 3072 + b"\x07")
    out(c, "label_ten.bin", b"\x0a" + b"\0" * 3072)
    out(c, "label_255.bin", b"\x01" + b"\0" * 3072 + b"\xff" + b"\0" * 3072)
    out(c, "half_record.bin", b"\0" * 1537)
    out(c, "text.bin", b"airplane\nautomobile\n")


# ---- images ------------------------------------------------------------------------------------------

def png(width, height, raw=None, color=0, bits=8):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, bits, color, 0, 0, 0)
    if raw is None:
        raw = b"".join(b"\0" + b"\x80" * width for _ in range(min(height, 4)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def images():
    c = "images"
    ok = png(4, 4)
    out(c, "png_announces_100000x100000/cat/a.png", png(100000, 100000))
    out(c, "png_announces_65535x65535/cat/a.png", png(65535, 65535))
    out(c, "png_zero_width/cat/a.png", png(0, 4))
    out(c, "png_truncated/cat/a.png", ok[:30])
    out(c, "png_bad_crc/cat/a.png", ok[:20] + b"\0\0\0\0" + ok[24:])
    out(c, "text_named_png/cat/a.png", b"not an image at all\n")
    out(c, "one_byte_jpeg/cat/a.jpg", b"\xff")
    out(c, "jpeg_header_only/cat/a.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    out(c, "bmp_announces_huge/cat/a.bmp", b"BM" + struct.pack("<IHHI", 62, 0, 0, 62) + struct.pack("<IiiHHIIiiII", 40, 70000, 70000, 1, 1, 0, 0, 0, 0, 2, 0) + b"\0" * 8)
    out(c, "gif_announces_huge/cat/a.gif", b"GIF89a" + struct.pack("<HH", 65535, 65535) + b"\x00\x00\x00" + b",\x00\x00\x00\x00" + struct.pack("<HH", 65535, 65535) + b"\x00\x02\x02\x44\x01\x00;")
    out(c, "sizes_differ/cat/a.png", png(4, 4))
    out(c, "sizes_differ/dog/b.png", png(5, 3, b"".join(b"\0" + b"\x10" * 5 for _ in range(3))))
    out(c, "no_images/cat/readme.txt", b"no images here\n")
    out(c, "no_class_folders/a.png", ok)


# ---- the original LegoDNN's profile files ------------------------------------------------------------

def profiles():
    c = "profiles"
    files = ["server-blocks-metrics.csv", "edge-blocks-metrics.csv", "server-teacher-model-metrics.yaml",
             "edge-teacher-model-metrics.yaml"]
    ref = {f: open(os.path.join(REF, f), "rb").read().decode() for f in files}
    sb, eb, sy, ey = files

    def case(name, file, text=None, replace=None, raw=None):
        if raw is not None:
            data = raw
        elif replace is not None:
            assert replace[0] in ref[file], (name, replace[0])
            data = ref[file].replace(replace[0], replace[1], 1).encode()
        else:
            data = text.encode()
        out(c, name + "/" + file, data)

    case("csv_empty", sb, "")
    case("csv_header_only", sb, ref[sb].splitlines()[0] + "\n")
    case("csv_column_missing", sb, replace=("test_accuracy_drop", "test_accuracy"))
    case("csv_cells_missing", sb, replace=("0,0.3,0.0,0.0,87872,44904448.0,21926.0", "0,0.3,0.0"))
    case("csv_not_a_number", sb, replace=("0,0.3,0.0,0.0,87872", "0,0.3,zero,0.0,87872"))
    case("csv_nan", sb, replace=("0,0.3,0.0,0.0,87872", "0,0.3,NaN,0.0,87872"))
    case("csv_infinity", sb, replace=("0,0.3,0.0,0.0,87872", "0,0.3,0.0,0.0,Infinity"))
    case("csv_block_index_fraction", sb, replace=("\n1,0.0", "\n1.5,0.0"))
    case("csv_block_index_negative", sb, replace=("\n1,0.0", "\n-1,0.0"))
    case("csv_block_index_huge", sb, replace=("\n1,0.0", "\n1000000000,0.0"))
    case("csv_block_gap", sb, "\n".join(l for l in ref[sb].splitlines() if not l.startswith("3,")) + "\n")
    case("csv_sparsity_above_one", sb, replace=("0,0.3,0.0,0.0,87872", "0,1.5,0.0,0.0,87872"))
    case("csv_accuracy_drop_five", sb, replace=("0,0.3,0.0,0.0,87872", "0,0.3,5.0,0.0,87872"))
    case("csv_size_drop_1e300", sb, replace=("0,0.3,0.0,0.0,87872", "0,0.3,0.0,0.0,1e300"))
    case("csv_rel_drop_two", eb, replace=("0,0.3,0,0.17337707964374663", "0,0.3,0,2.0"))
    case("csv_edge_row_missing", eb, "\n".join(l for l in ref[eb].splitlines() if not l.startswith("2,0.6")) + "\n")
    case("csv_not_utf8", sb, raw=ref[sb].encode().replace(b"0,0.3,", b"0,0.3\xff\xfe,", 1))
    case("csv_binary", sb, raw=bytes(range(256)) * 4)
    case("yaml_list_at_top", sy, "- 1\n- 2\n")
    case("yaml_invalid", sy, "blocks_info: [unclosed\nmodel_size: : :\n")
    case("yaml_empty", ey, "")
    case("yaml_billion_laughs", sy, "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
         "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
         "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
         "blocks_info: *h\nmodel_size: 1\n")
    case("yaml_cyclic", ey, "blocks_info: &a [*a]\nlatency: 1\n")
    case("yaml_deep_nesting", sy, "blocks_info: " + "[" * 2000 + "]" * 2000 + "\nmodel_size: 1\n")
    case("yaml_blocks_info_missing", sy, replace=("blocks_info:", "blocks:"))
    case("yaml_index_missing", ey, replace=("index: 0", "number: 0"))
    case("yaml_index_fraction", sy, replace=("index: 2", "index: 2.5"))
    case("yaml_index_duplicate", sy, replace=("index: 2", "index: 1"))
    case("yaml_index_huge", ey, replace=("index: 3", "index: 100000000000"))
    case("yaml_size_1e300", sy, replace=("size: 315890", "size: 1.0e+300"))
    case("yaml_model_size_nan", sy, replace=("model_size:", "model_size: .nan\nold_model_size:"))
    case("yaml_latency_negative", ey, replace=("latency: 0.00011699200071394433", "latency: -1.0"))
    case("yaml_latency_string", ey, replace=("latency: 0.00011699200071394433", "latency: fast"))
    case("yaml_latency_a_year", ey, replace=("latency: 0.00011699200071394433", "latency: 31536000.0"))
    case("yaml_python_object", sy, "!!python/object/apply:os.system ['echo hi']\n")
    case("yaml_java_object", sy, "!!java.io.File [/etc/passwd]\n")
    os.makedirs(os.path.join(ROOT, c, "missing_file"), exist_ok=True)
    out(c, "missing_file/README", "this case has no " + ey + " (the test deletes it)\n")


def main():
    for d in ["safetensors", "checkpoint", "idx", "cifar", "images", "profiles"]:
        shutil.rmtree(os.path.join(ROOT, d), ignore_errors=True)
    safetensors()
    checkpoints()
    idx_files()
    cifar()
    images()
    profiles()


if __name__ == "__main__":
    main()
