package io.github.pointclip.prompt;

import java.util.List;
import java.util.Locale;

/** Class-name lists of the standard benchmarks, in their label order. */
public final class ClassNames {

    /** The 40 ModelNet40 classes in label order ({@code shape_names.txt}). */
    public static final List<String> MODELNET40 = List.of("airplane", "bathtub", "bed", "bench", "bookshelf",
        "bottle", "bowl", "car", "chair", "cone", "cup", "curtain", "desk", "door", "dresser", "flower_pot",
        "glass_box", "guitar", "keyboard", "lamp", "laptop", "mantel", "monitor", "night_stand", "person", "piano",
        "plant", "radio", "range_hood", "sink", "sofa", "stairs", "stool", "table", "tent", "toilet", "tv_stand",
        "vase", "wardrobe", "xbox");

    /** The 15 ScanObjectNN classes in label order. */
    public static final List<String> SCANOBJECTNN = List.of("bag", "bin", "box", "cabinet", "chair", "desk",
        "display", "door", "shelf", "table", "bed", "pillow", "sink", "sofa", "toilet");

    private ClassNames() {
    }

    /**
     * @param name {@code modelnet40} or {@code scanobjectnn} (case-insensitive)
     * @return the class list
     * @throws IllegalArgumentException for an unknown name
     */
    public static List<String> preset(String name) {
        switch (name.toLowerCase(Locale.ROOT).replace("-", "")) {
            case "modelnet40":
                return MODELNET40;
            case "scanobjectnn":
                return SCANOBJECTNN;
            default:
                throw new IllegalArgumentException("unknown class list '" + name + "'; known: modelnet40, scanobjectnn");
        }
    }
}
