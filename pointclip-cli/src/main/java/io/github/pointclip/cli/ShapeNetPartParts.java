package io.github.pointclip.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The official part names of the ShapeNetPart categories (SEGMENTATION.md §8), in local part order. */
final class ShapeNetPartParts {

    private static final Map<String, List<String>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("airplane", List.of("body", "wing", "tail", "engine or frame"));
        PARTS.put("bag", List.of("handle", "body"));
        PARTS.put("cap", List.of("panels or crown", "visor or peak"));
        PARTS.put("car", List.of("roof", "hood", "wheel or tire", "body"));
        PARTS.put("chair", List.of("back", "seat pad", "leg", "armrest"));
        PARTS.put("earphone", List.of("earcup", "headband", "data wire"));
        PARTS.put("guitar", List.of("head or tuners", "neck", "body"));
        PARTS.put("knife", List.of("blade", "handle"));
        PARTS.put("lamp", List.of("leg or wire", "lampshade"));
        PARTS.put("laptop", List.of("keyboard", "screen or monitor"));
        PARTS.put("motorbike", List.of("gas tank", "seat", "wheel", "handles or handlebars", "light", "engine or frame"));
        PARTS.put("mug", List.of("handle", "cup"));
        PARTS.put("pistol", List.of("barrel", "handle", "trigger and guard"));
        PARTS.put("rocket", List.of("body", "fin", "nose cone"));
        PARTS.put("skateboard", List.of("wheel", "deck", "belt for foot"));
        PARTS.put("table", List.of("desktop", "leg or support", "drawer"));
    }

    private ShapeNetPartParts() {
    }

    /**
     * @param category a category name (lower case)
     * @return its official parts, or null for a category outside ShapeNetPart
     */
    static List<String> of(String category) {
        return PARTS.get(category);
    }

    /** @return the 16 category names */
    static List<String> categories() {
        return List.copyOf(PARTS.keySet());
    }
}
