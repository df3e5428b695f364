package dev.cnnc.processor.read;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * The fields of a class in the order they are written. javac reports enclosed elements in source
 * order, but Eclipse's compiler has reordered them between full and incremental builds; layer order
 * is the network, so where {@code com.sun.source} trees are available we sort by source position.
 */
abstract class SourceOrder {

    abstract List<VariableElement> fields(TypeElement type);

    static SourceOrder of(ProcessingEnvironment env) {
        try {
            Trees trees = Trees.instance(env);
            return new ByPosition(trees);
        } catch (RuntimeException | LinkageError notJavac) {
            return new AsReported();
        }
    }

    /** The compiler's own order. */
    static final class AsReported extends SourceOrder {
        @Override
        List<VariableElement> fields(TypeElement type) {
            return ElementFilter.fieldsIn(type.getEnclosedElements());
        }
    }

    /** Sorted by start position in the compilation unit; falls back to the reported order. */
    static final class ByPosition extends SourceOrder {
        private final Trees trees;

        ByPosition(Trees trees) {
            this.trees = trees;
        }

        @Override
        List<VariableElement> fields(TypeElement type) {
            List<VariableElement> fields = new ArrayList<>(ElementFilter.fieldsIn(type.getEnclosedElements()));
            SourcePositions positions = trees.getSourcePositions();
            List<Long> starts = new ArrayList<>();
            for (VariableElement field : fields) {
                TreePath path = trees.getPath(field);
                if (path == null) {
                    return fields; // a class file, not source: keep the compiler's order
                }
                CompilationUnitTree unit = path.getCompilationUnit();
                Tree leaf = path.getLeaf();
                starts.add(positions.getStartPosition(unit, leaf));
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingLong(starts::get));
            List<VariableElement> sorted = new ArrayList<>();
            for (int i : order) {
                sorted.add(fields.get(i));
            }
            return sorted;
        }
    }
}
