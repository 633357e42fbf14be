package dev.amend.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many examples of each class each split holds, for {@code amend data describe}. The
 * record is what gets written as JSON; {@link #toTable()} is the printed form.
 *
 * @param name the data set (a canonical data spec)
 * @param shape "C x H x W" of one image
 * @param classNames the classes, by index
 * @param splits the splits in the order they are shown
 */
public record DataSummary(String name, String shape, List<String> classNames, List<SplitCounts> splits) {

    /**
     * @param split the split's name ("train", "test", ...)
     * @param size its number of examples
     * @param perClass its number of examples of each class, by class index
     */
    public record SplitCounts(String split, int size, int[] perClass) {
    }

    public DataSummary {
        classNames = List.copyOf(classNames);
        splits = List.copyOf(splits);
    }

    /** The train and test parts of loaded data. */
    public static DataSummary of(LoadedData data) {
        Map<String, ExampleSet> splits = new LinkedHashMap<>();
        splits.put("train", data.train());
        splits.put("test", data.test());
        return of(data.name(), splits);
    }

    /** Any named splits of one data set, in map order; all must share the first one's shape. */
    public static DataSummary of(String name, Map<String, ExampleSet> splits) {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("no splits to summarise");
        }
        ExampleSet first = splits.values().iterator().next();
        List<SplitCounts> counts = new ArrayList<>();
        splits.forEach((split, data) -> {
            if (!data.sameShapeAs(first)) {
                throw new IllegalArgumentException("split " + split + " differs in shape or classes");
            }
            counts.add(new SplitCounts(split, data.size(), data.classCounts()));
        });
        return new DataSummary(name, first.shapeString(), first.classNames(), counts);
    }

    /**
     * A fixed-width table: one line per class (index, name, count per split), then the totals.
     */
    public String toTable() {
        int nameWidth = "total".length();
        for (int c = 0; c < classNames.size(); c++) {
            nameWidth = Math.max(nameWidth, label(c).length());
        }
        int[] widths = new int[splits.size()];
        for (int s = 0; s < splits.size(); s++) {
            widths[s] = Math.max(splits.get(s).split().length(), Integer.toString(splits.get(s).size()).length());
        }
        StringBuilder out = new StringBuilder();
        out.append(name).append(": ").append(shape).append(", ").append(classNames.size()).append(" classes\n");
        out.append(String.format("%-" + nameWidth + "s", "class"));
        for (int s = 0; s < splits.size(); s++) {
            out.append(String.format("  %" + widths[s] + "s", splits.get(s).split()));
        }
        out.append('\n');
        for (int c = 0; c < classNames.size(); c++) {
            out.append(String.format("%-" + nameWidth + "s", label(c)));
            for (int s = 0; s < splits.size(); s++) {
                out.append(String.format("  %" + widths[s] + "d", splits.get(s).perClass()[c]));
            }
            out.append('\n');
        }
        out.append(String.format("%-" + nameWidth + "s", "total"));
        for (int s = 0; s < splits.size(); s++) {
            out.append(String.format("  %" + widths[s] + "d", splits.get(s).size()));
        }
        return out.append('\n').toString();
    }

    // Numbered classes would print "3 3"; show the index alone then.
    private String label(int c) {
        String n = classNames.get(c);
        return n.equals(Integer.toString(c)) ? n : c + " " + n;
    }
}
