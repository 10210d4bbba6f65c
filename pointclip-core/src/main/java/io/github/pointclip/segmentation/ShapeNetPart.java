package io.github.pointclip.segmentation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ShapeNetPart benchmark's 16 categories and 50 parts, as the HDF5 release numbers them, with the
 * official PointCLIP V2 part prompts and view weights ({@link PartCategory}).
 *
 * <p>The prompt sentences and view weights are those of the PointCLIP V2 release (folder
 * {@code zeroshot_seg}, MIT licence, Copyright 2023 Xiangyang Zhu and Renrui Zhang): for each part the
 * candidate sentence the release chose ({@code best_prompt}). They were tuned on the test split, as the
 * release says; the library's default prompts are a template instead (see the segmentation docs).
 */
public final class ShapeNetPart {

    /** Number of categories. */
    public static final int CATEGORY_COUNT = 16;
    /** Number of global part ids over all categories. */
    public static final int PART_COUNT = 50;
    /** Number of views the official view weights are given for. */
    public static final int VIEWS = 10;

    private static final List<PartCategory> CATEGORIES = List.of(
        new PartCategory(0, "airplane", "02691156", 0, 4,
            List.of("body", "wing", "tail", "engine or frame"),
            List.of(
                " The nose is the front part of the aircraft that houses the cockpit.",
                "There is no wing part of an airplane in this grayscale map.",
                " The back end of an airplane, with its two engines and two methods of steering.",
                "This sentence is describing a partial airplane that is being shown in a depth map."),
            new float[] {0.75f, 0.75f, 0.25f, 0.25f, 0.25f, 0.5f, 1.0f, 0.25f, 0.25f, 0.25f}),
        new PartCategory(1, "bag", "02773838", 4, 2,
            List.of("handle", "body"),
            List.of(
                "The bag has a black strap that goes over the shoulder.",
                " Ready for Literally AnythingThis bag is perfect for carrying all of your essentials with you on the go."),
            new float[] {0.75f, 0.75f, 0.25f, 0.75f, 1.0f, 0.25f, 1.0f, 0.5f, 0.25f, 0.25f}),
        new PartCategory(2, "cap", "02954340", 6, 2,
            List.of("panels or crown", "visor or peak"),
            List.of(
                "Assuming you are talking about a baseball cap, the crown is typically the highest point of the hat, and the panels are the pieces of fabric that make up the sides and back of the hat.",
                "This sentence is about the peak value of the grayscale depth map."),
            new float[] {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}),
        new PartCategory(3, "car", "02958343", 8, 4,
            List.of("roof", "hood", "wheel or tire", "body"),
            List.of(
                "the car has a metal roof that is slanted down towards the back.",
                "The hood of a car is an important part of the vehicle.",
                "I need new tires for my car.",
                "The engine is the heart of a car."),
            new float[] {0.75f, 0.75f, 0.25f, 0.25f, 0.25f, 0.75f, 0.25f, 0.75f, 1.0f, 0.25f}),
        new PartCategory(4, "chair", "03001627", 12, 4,
            List.of("back", "seat pad", "leg", "armrest"),
            List.of(
                "Back of the chair depth map.",
                " A closeup of the seat pad of a chair.",
                "A leg part of a chair 3D model can look like a cylinder, a square, or a rectangle.",
                "In a chair depth map, an armrest would appear as a horizontal line at the appropriate depth."),
            new float[] {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}),
        new PartCategory(5, "earphone", "03261776", 16, 3,
            List.of("earcup", "headband", "data wire"),
            List.of(
                "This is the earcup of a earphone in a three-dimensional map.",
                "This is the headband part of an earphone in a 3D map.",
                "A typical earphone has a wire that consists of four parts: the inner conductor, the dielectric insulation, the outer conductor, and the jacket."),
            new float[] {0.75f, 0.75f, 0.25f, 0.25f, 0.25f, 0.25f, 0.75f, 0.5f, 0.25f, 0.5f}),
        new PartCategory(6, "guitar", "03467517", 19, 3,
            List.of("head or tuners", "neck", "body"),
            List.of(
                "This sentence is saying that the head or tuning pegs are the only part of the guitar that is shown in the depth map.",
                "It is a representation of a gray 3D guitar model.",
                "The body part of a guitar can be identified in this grayscale map by its shape."),
            new float[] {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}),
        new PartCategory(7, "knife", "03624134", 22, 2,
            List.of("blade", "handle"),
            List.of(
                "A depth map of a knife typically shows the blade as a thin, straight line, while the handle may be thicker and more curved.",
                "A handle part of a knife 3D model might look like a cylindrical piece with a hole in the center for the blade to fit into."),
            new float[] {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}),
        new PartCategory(8, "lamp", "03636649", 24, 4,
            List.of("leg or wire", "lampshade"),
            List.of(
                "There is no one-size-fits-all answer to this question, as the best way to segment the leg or wire part of a lamp in a depth map may vary depending on the.",
                "Since this is a depth map, you can segment the lampshade by finding the points in the depth map that correspond to the lampshade."),
            new float[] {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}),
        new PartCategory(9, "laptop", "03642806", 28, 2,
            List.of("keyboard", "screen or monitor"),
            List.of(
                "The keyboard feature of a laptop 3D model is that it is a separate object that can be moved around and positioned as desired.",
                "Laptop computer with screen open, viewed from above."),
            new float[] {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}),
        new PartCategory(10, "motorbike", "03790512", 30, 6,
            List.of("gas tank", "seat", "wheel", "handles or handlebars", "light", "engine or frame"),
            List.of(
                "The gas tank's motorbike would appear as a dark object in a grayscale depth map.",
                "There is no easy answer for this question.",
                "This sentence is describing a wheel on a motorcycle in a photograph.",
                "There is no definitive answer to this question as it depends on the specific depth map and the desired outcome.",
                "There is no definitive answer to this question since it will vary depending on the desired outcome.",
                "The engine is the \"heart\" of the bike."),
            new float[] {0.75f, 0.75f, 0.25f, 0.25f, 0.5f, 0.75f, 0.25f, 0.75f, 1.0f, 0.25f}),
        new PartCategory(11, "mug", "03797390", 36, 2,
            List.of("handle", "cup"),
            List.of(
                "This sentence is describing a depth map, which is a tool used in computer vision to create a representation of the surfaces of a scene from a set of digital images.",
                "Only the bottom part of this mug is recognized."),
            new float[] {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}),
        new PartCategory(12, "pistol", "03948459", 38, 3,
            List.of("barrel", "handle", "trigger and guard"),
            List.of(
                "This is the part of the pistol depth map that shows the barrel.",
                "The part of the pistol that you would hold in your hand is the grip.",
                "Thesynonym of this sentence is: The trigger and guard of a gun."),
            new float[] {0.75f, 0.75f, 0.25f, 0.25f, 0.25f, 1.0f, 0.25f, 1.0f, 0.75f, 0.25f}),
        new PartCategory(13, "rocket", "04099429", 41, 3,
            List.of("body", "fin", "nose cone"),
            List.of(
                "ROCKET BODYThis is the body of a rocket.",
                "A fin is typically a thin, flat surface that is attached to the back end of a rocket.",
                "A nose cone on a rocket 3D model typically looks like a cone or pyramid shape."),
            new float[] {0.75f, 0.75f, 0.25f, 0.25f, 0.5f, 1.0f, 0.25f, 0.5f, 0.25f, 0.75f}),
        new PartCategory(14, "skateboard", "04225987", 44, 3,
            List.of("wheel", "deck", "belt for foot"),
            List.of(
                "The depth map of the wheel on a skateboard is important.",
                "Caption: The deck of a skateboard, viewed from the top.",
                "This sentence is describing a strap or belt that goes around the foot of a skateboard."),
            new float[] {0.75f, 0.75f, 0.25f, 0.5f, 0.25f, 1.0f, 0.5f, 0.25f, 0.75f, 1.0f}),
        new PartCategory(15, "table", "04379243", 47, 3,
            List.of("desktop", "leg or support", "drawer"),
            List.of(
                "A depth map of a table, showing the desktop at the top and the underside of the table at the bottom.",
                "The table is a rectangle with a light gray color.",
                "The table is a rectangle with a light gray color."),
            new float[] {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}));

    private ShapeNetPart() {
    }

    /** @return the 16 categories, in index order */
    public static List<PartCategory> categories() {
        return CATEGORIES;
    }

    /**
     * @param index a category index 0–15 (the HDF5 {@code label})
     * @return the category
     * @throws IndexOutOfBoundsException for another index
     */
    public static PartCategory category(int index) {
        return CATEGORIES.get(index);
    }

    /**
     * @param name a category name, in any case ({@code Airplane}, {@code airplane})
     * @return the category
     * @throws IllegalArgumentException naming the known categories when there is none of that name
     */
    public static PartCategory category(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not a ShapeNetPart "
            + "category; the categories are " + names()));
    }

    /**
     * @param name a category name, in any case
     * @return the category, if ShapeNetPart has one of that name
     */
    public static Optional<PartCategory> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.strip().toLowerCase(Locale.ROOT);
        return CATEGORIES.stream().filter(c -> c.name().equals(key)).findFirst();
    }

    /**
     * @param globalPart a global part id 0–49
     * @return the category it belongs to
     * @throws IndexOutOfBoundsException for another id
     */
    public static PartCategory categoryOfPart(int globalPart) {
        java.util.Objects.checkIndex(globalPart, PART_COUNT);
        for (PartCategory c : CATEGORIES) {
            if (globalPart < c.firstPart() + c.partCount()) {
                return c;
            }
        }
        throw new AssertionError(globalPart);
    }

    /** @return the category names in index order */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (PartCategory c : CATEGORIES) {
            names.add(c.name());
        }
        return List.copyOf(names);
    }
}
