package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.PointClip;
import io.github.pointclip.Version;
import io.github.pointclip.adapter.InterViewAdapter;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.onnx.OnnxClipModel;
import io.github.pointclip.projection.BuiltInProjectors;
import io.github.pointclip.projection.spi.Projectors;
import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fence around the public API: the module descriptors of the four library modules, read from
 * the built classes (this module's tests see all four), export exactly the API packages listed here,
 * export internal packages only to the SDK's own modules, and no public or protected signature of an
 * exported type names an ONNX Runtime type or a type of a package its module does not export. The
 * modules also resolve as a module layer with their runtime dependencies, and the layer binds the
 * three services.
 */
class ModuleDescriptorTest {

    private static final String CORE = "io.github.pointclip.core";
    private static final String PROJECTION = "io.github.pointclip.projection";
    private static final String ONNX = "io.github.pointclip.onnx";
    private static final String ADAPTER = "io.github.pointclip.adapter";
    private static final String CROSSPOINT = "io.github.pointclip.crosspoint";
    private static final String PROMPTS = "io.github.pointclip.prompts";

    /** The API: every package each module exports to everyone. */
    private static final Map<String, Set<String>> EXPORTED = Map.of(
        CORE, Set.of("io.github.pointclip", "io.github.pointclip.cloud", "io.github.pointclip.dataset",
            "io.github.pointclip.detection",
            "io.github.pointclip.encoder", "io.github.pointclip.eval", "io.github.pointclip.io",
            "io.github.pointclip.projection.spi", "io.github.pointclip.prompt", "io.github.pointclip.report",
            "io.github.pointclip.segmentation"),
        PROJECTION, Set.of("io.github.pointclip.projection", "io.github.pointclip.projection.kernel"),
        ONNX, Set.of("io.github.pointclip.onnx", "io.github.pointclip.onnx.bundle", "io.github.pointclip.onnx.tokenizer"),
        ADAPTER, Set.of("io.github.pointclip.adapter", "io.github.pointclip.adapter.checkpoint",
            "io.github.pointclip.adapter.search", "io.github.pointclip.adapter.train"),
        CROSSPOINT, Set.of("io.github.pointclip.crosspoint", "io.github.pointclip.crosspoint.probe"),
        PROMPTS, Set.of("io.github.pointclip.prompts"));

    /** The internals: every other package of each module, and whom it is exported to (empty: no one). */
    private static final Map<String, Map<String, Set<String>>> INTERNAL = Map.of(
        CORE, Map.of("io.github.pointclip.internal", Set.of(ONNX, ADAPTER, CROSSPOINT, PROMPTS,
            "io.github.pointclip.spark", "io.github.pointclip.cli")),
        PROJECTION, Map.of(),
        ONNX, Map.of("io.github.pointclip.onnx.internal", Set.of()),
        ADAPTER, Map.of("io.github.pointclip.adapter.autograd", Set.of(CROSSPOINT),
            "io.github.pointclip.adapter.nn", Set.of(CROSSPOINT), "io.github.pointclip.adapter.optim", Set.of(CROSSPOINT),
            "io.github.pointclip.adapter.linalg", Set.of(CROSSPOINT),
            "io.github.pointclip.adapter.internal", Set.of()),
        CROSSPOINT, Map.of("io.github.pointclip.crosspoint.internal", Set.of()),
        PROMPTS, Map.of());

    private static final Map<String, Class<?>> A_CLASS_OF = Map.of(CORE, PointClip.class,
        PROJECTION, BuiltInProjectors.class, ONNX, OnnxClipModel.class, ADAPTER, InterViewAdapter.class,
        CROSSPOINT, io.github.pointclip.crosspoint.probe.LinearProbe.class,
        PROMPTS, io.github.pointclip.prompts.PromptGenerator.class);

    @Test
    void everyModuleExportsExactlyItsApiAndInternalsOnlyToTheSdk() {
        for (String module : EXPORTED.keySet()) {
            ModuleDescriptor d = descriptor(module);
            assertFalse(d.isAutomatic(), module + " has a module-info.class");
            Set<String> unqualified = d.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(EXPORTED.get(module)), unqualified, module + " exports exactly its API");
            Map<String, Set<String>> qualified = d.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
            Map<String, Set<String>> expectedQualified = new HashMap<>(INTERNAL.get(module));
            expectedQualified.values().removeIf(Set::isEmpty);
            assertEquals(expectedQualified, qualified, module + " exports internals only to the SDK's modules");
            for (Set<String> targets : qualified.values()) {
                assertTrue(targets.stream().allMatch(t -> t.startsWith("io.github.pointclip.")), targets.toString());
            }
            Set<String> classified = new TreeSet<>(EXPORTED.get(module));
            classified.addAll(INTERNAL.get(module).keySet());
            assertEquals(classified, new TreeSet<>(d.packages()),
                module + ": every package is either API or internal (a new package must be classified here)");
            assertTrue(d.opens().isEmpty() && !d.isOpen(), module + " opens nothing");
        }
    }

    @Test
    void servicesAreDeclared() {
        assertEquals(Set.of("io.github.pointclip.encoder.ClipModelProvider",
            "io.github.pointclip.encoder.FeatureAdapterLoader", "io.github.pointclip.encoder.PointEncoderLoader",
            "io.github.pointclip.projection.spi.ProjectorFactory",
            "io.github.pointclip.projection.spi.SegmentationProjector"),
            descriptor(CORE).uses());
        Set<ModuleDescriptor.Provides> projectionServices = new HashSet<>(provides(
            "io.github.pointclip.projection.spi.ProjectorFactory", "io.github.pointclip.projection.BuiltInProjectors"));
        projectionServices.addAll(provides("io.github.pointclip.projection.spi.SegmentationProjector",
            "io.github.pointclip.projection.SegmentationProjectorV2"));
        assertEquals(projectionServices, descriptor(PROJECTION).provides());
        assertEquals(provides("io.github.pointclip.encoder.ClipModelProvider",
            "io.github.pointclip.onnx.OnnxClipModelProvider"), descriptor(ONNX).provides());
        assertEquals(provides("io.github.pointclip.encoder.FeatureAdapterLoader",
            "io.github.pointclip.adapter.checkpoint.SafeTensorsAdapterLoader"), descriptor(ADAPTER).provides());
        assertEquals(provides("io.github.pointclip.encoder.PointEncoderLoader",
            "io.github.pointclip.crosspoint.CrossPointEncoderLoader"), descriptor(CROSSPOINT).provides());
        assertEquals(Set.of(), descriptor(PROMPTS).provides());
        for (String module : List.of(PROJECTION, ONNX, ADAPTER, CROSSPOINT, PROMPTS)) {
            assertTrue(descriptor(module).requires().stream().anyMatch(r -> r.name().equals(CORE)
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)),
                module + " requires core transitively (core types are in its API)");
        }
    }

    @Test
    void noExportedSignatureNamesOnnxRuntimeOrAnUnexportedPackage() throws Exception {
        Set<String> api = new HashSet<>();
        EXPORTED.values().forEach(api::addAll);
        Set<String> sdkPackages = new HashSet<>(api);
        INTERNAL.values().forEach(m -> sdkPackages.addAll(m.keySet()));
        List<String> leaks = new ArrayList<>();
        int checked = 0;
        for (String module : EXPORTED.keySet()) {
            for (String name : classNames(module)) {
                Class<?> c = Class.forName(name, false, getClass().getClassLoader());
                if (!api.contains(c.getPackageName()) || !accessible(c)) {
                    continue;
                }
                checked++;
                for (Map.Entry<String, Type> use : signature(c).entrySet()) {
                    for (Class<?> t : mentioned(use.getValue())) {
                        String p = t.getPackageName();
                        if (p.startsWith("ai.onnxruntime") || (sdkPackages.contains(p) && !api.contains(p))) {
                            leaks.add(use.getKey() + " names " + t.getName());
                        }
                    }
                }
            }
        }
        assertTrue(checked > 100, "checked " + checked + " exported types");
        assertEquals(List.of(), leaks);
    }

    @Test
    void theLibraryModulesResolveAsAModuleLayerAndBindTheirServices() throws Exception {
        // every module on this test's class path, by name; only those the SDK's modules require get into the layer
        Map<String, Path> byName = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.exists(p) || Files.isDirectory(p) && !Files.exists(p.resolve("module-info.class"))) {
                continue;
            }
            try {
                ModuleFinder.of(p).findAll().forEach(r -> byName.putIfAbsent(r.descriptor().name(), p));
            } catch (FindException e) {
                // not a module (for example a jar whose name gives no valid module name): not needed here
            }
        }
        Set<Path> layerPaths = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(ONNX, PROJECTION, ADAPTER, CROSSPOINT, PROMPTS));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name) || !byName.containsKey(name)) {
                continue; // a platform module (java.*, jdk.*)
            }
            layerPaths.add(byName.get(name));
            for (ModuleDescriptor.Requires r : ModuleFinder.of(byName.get(name)).find(name).orElseThrow()
                    .descriptor().requires()) {
                if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
                    todo.push(r.name());
                }
            }
        }
        assertTrue(layerPaths.contains(byName.get(CORE)), "core is required by the others");
        Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(
            ModuleFinder.of(layerPaths.toArray(Path[]::new)), ModuleFinder.of(), Set.of(ONNX, PROJECTION, ADAPTER,
                CROSSPOINT, PROMPTS));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        for (String m : List.of(CORE, PROJECTION, ONNX, ADAPTER, CROSSPOINT, PROMPTS)) {
            Optional<Module> module = layer.findModule(m);
            assertTrue(module.isPresent() && module.get().getDescriptor() != null && !module.get().getDescriptor()
                .isAutomatic(), m + " is a named module of the layer");
        }
        ClassLoader loader = layer.findLoader(CORE);
        assertEquals(List.of("io.github.pointclip.onnx.OnnxClipModelProvider"),
            providers(layer, loader, "io.github.pointclip.encoder.ClipModelProvider"));
        assertEquals(List.of("io.github.pointclip.projection.BuiltInProjectors"),
            providers(layer, loader, "io.github.pointclip.projection.spi.ProjectorFactory"));
        assertEquals(List.of("io.github.pointclip.projection.SegmentationProjectorV2"),
            providers(layer, loader, "io.github.pointclip.projection.spi.SegmentationProjector"));
        assertEquals(List.of("io.github.pointclip.adapter.checkpoint.SafeTensorsAdapterLoader"),
            providers(layer, loader, "io.github.pointclip.encoder.FeatureAdapterLoader"));
        assertEquals(List.of("io.github.pointclip.crosspoint.CrossPointEncoderLoader"),
            providers(layer, loader, "io.github.pointclip.encoder.PointEncoderLoader"));
        // code runs in the layer: core finds the projection module's projector by name (ServiceLoader across
        // modules), which projects like the class-path copy; core reads its own resource (the version)
        float[] xyz = {0.1f, 0.2f, 0.3f, -0.4f, 0.1f, 0.25f, 0.3f, -0.3f, -0.2f};
        Class<?> cloudType = Class.forName("io.github.pointclip.cloud.PointCloud", false, loader);
        Object cloud = cloudType.getMethod("of", float[].class).invoke(null, (Object) xyz);
        Object v2 = Class.forName("io.github.pointclip.projection.spi.Projectors", true, loader)
            .getMethod("byName", String.class).invoke(null, "v2");
        assertEquals(PROJECTION, v2.getClass().getModule().getName());
        Object maps = Class.forName("io.github.pointclip.projection.spi.Projector", false, loader)
            .getMethod("project", cloudType).invoke(v2, cloud);
        assertArrayEquals(Projectors.byName("v2").project(PointCloud.of(xyz)).toArray(),
            (float[]) maps.getClass().getMethod("toArray").invoke(maps));
        assertEquals(Version.get(), Class.forName("io.github.pointclip.Version", true, loader).getMethod("get")
            .invoke(null));
        assertFalse(Version.UNKNOWN.equals(Version.get()), "the version resource is read");
        // the fence holds at run time: an internal package is not accessible to a module outside the SDK
        Module core = layer.findModule(CORE).orElseThrow();
        assertTrue(core.isExported("io.github.pointclip.encoder"));
        assertFalse(core.isExported("io.github.pointclip.internal"));
        assertTrue(core.isExported("io.github.pointclip.internal", layer.findModule(ADAPTER).orElseThrow()));
        assertFalse(core.isExported("io.github.pointclip.internal", layer.findModule(PROJECTION).orElseThrow()));
    }

    private static List<String> providers(ModuleLayer layer, ClassLoader loader, String service) throws Exception {
        Class<?> type = Class.forName(service, false, loader);
        assertEquals(CORE, type.getModule().getName(), service + " is core's, in the layer");
        return ServiceLoader.load(layer, type).stream().map(p -> p.type().getName()).sorted().toList();
    }

    private static Set<ModuleDescriptor.Provides> provides(String service, String provider) {
        return Set.of(ModuleDescriptor.newModule("x").provides(service, List.of(provider)).build().provides()
            .iterator().next());
    }

    private static ModuleReference reference(String module) {
        Path location;
        try {
            location = Path.of(A_CLASS_OF.get(module).getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Set<ModuleReference> all = ModuleFinder.of(location).findAll();
        assertEquals(1, all.size(), location + " holds one module");
        ModuleReference ref = all.iterator().next();
        assertEquals(module, ref.descriptor().name(), "the module at " + location);
        return ref;
    }

    private static ModuleDescriptor descriptor(String module) {
        return reference(module).descriptor();
    }

    private static List<String> classNames(String module) throws IOException {
        try (ModuleReader reader = reference(module).open(); Stream<String> entries = reader.list()) {
            return entries.filter(e -> e.endsWith(".class") && !e.endsWith("module-info.class")
                    && !e.endsWith("package-info.class") && !e.startsWith("META-INF/"))
                .map(e -> e.substring(0, e.length() - ".class".length()).replace('/', '.')).sorted().toList();
        }
    }

    /** Public, or protected and nested, all the way out: a type code outside the module can name. */
    private static boolean accessible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            int m = k.getModifiers();
            boolean ok = Modifier.isPublic(m) || k.getDeclaringClass() != null && Modifier.isProtected(m);
            if (!ok || k.isAnonymousClass() || k.isLocalClass() || k.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Every type the class's visible surface names, keyed by where (for the failure message). */
    private static Map<String, Type> signature(Class<?> c) {
        Map<String, Type> out = new LinkedHashMap<>();
        String n = c.getName();
        if (c.getGenericSuperclass() != null) {
            out.put(n + " extends", c.getGenericSuperclass());
        }
        Type[] interfaces = c.getGenericInterfaces();
        for (int i = 0; i < interfaces.length; i++) {
            out.put(n + " implements #" + i, interfaces[i]);
        }
        for (TypeVariable<?> v : c.getTypeParameters()) {
            for (Type b : v.getBounds()) {
                out.put(n + "<" + v.getName() + "> bound " + b.getTypeName(), b);
            }
        }
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                out.put(n + " component " + rc.getName(), rc.getGenericType());
            }
        }
        for (Field f : c.getDeclaredFields()) {
            if (visible(f.getModifiers()) && !f.isSynthetic()) {
                out.put(n + "." + f.getName(), f.getGenericType());
            }
        }
        List<Executable> executables = new ArrayList<>();
        for (Method m : c.getDeclaredMethods()) {
            if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                executables.add(m);
            }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (visible(k.getModifiers()) && !k.isSynthetic()) {
                executables.add(k);
            }
        }
        for (Executable e : executables) {
            String where = n + "." + (e instanceof Constructor ? "<init>" : e.getName()) + "("
                + Stream.of(e.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
            if (e instanceof Method m) {
                out.put(where + " returns", m.getGenericReturnType());
            }
            Type[] params = e.getGenericParameterTypes();
            for (int i = 0; i < params.length; i++) {
                out.put(where + " parameter " + i, params[i]);
            }
            Type[] thrown = e.getGenericExceptionTypes();
            for (int i = 0; i < thrown.length; i++) {
                out.put(where + " throws #" + i, thrown[i]);
            }
            for (TypeVariable<?> v : e.getTypeParameters()) {
                for (Type b : v.getBounds()) {
                    out.put(where + " <" + v.getName() + "> bound " + b.getTypeName(), b);
                }
            }
        }
        return out;
    }

    /** The classes a (generic) type names, arrays unwrapped. */
    private static Set<Class<?>> mentioned(Type type) {
        Set<Class<?>> out = new HashSet<>();
        Deque<Type> todo = new ArrayDeque<>(List.of(type));
        Set<Type> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Type t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof Class<?> k) {
                while (k.isArray()) {
                    k = k.getComponentType();
                }
                out.add(k);
            } else if (t instanceof ParameterizedType p) {
                todo.push(p.getRawType());
                if (p.getOwnerType() != null) {
                    todo.push(p.getOwnerType());
                }
                todo.addAll(List.of(p.getActualTypeArguments()));
            } else if (t instanceof GenericArrayType g) {
                todo.push(g.getGenericComponentType());
            } else if (t instanceof WildcardType w) {
                todo.addAll(List.of(w.getUpperBounds()));
                todo.addAll(List.of(w.getLowerBounds()));
            } else if (t instanceof TypeVariable<?> v) {
                todo.addAll(List.of(v.getBounds()));
            }
        }
        return out;
    }
}
