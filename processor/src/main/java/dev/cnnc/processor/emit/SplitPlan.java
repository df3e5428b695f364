package dev.cnnc.processor.emit;

import dev.cnnc.processor.model.LayerModel.ConvLayer;
import java.util.List;

/**
 * How one image's forward pass is shared between the calling thread and a helper thread
 * ({@link TwoThreadCode}), or why it is not.
 *
 * <p>Measured on CIFAR LeNet (JDK 17, 2 vCPUs; docs/PERFORMANCE.md, "One image over two threads"):
 * splitting every convolution by filters gained only 5-8% over one thread, because each thread still
 * made all the shifted copies and the pool after it read a plane half written on the other core.
 * Splitting the first convolution and its pool by output rows keeps each thread on its own rows end
 * to end (copies included), one hand-over later: 13.5-14.7 us per image against one thread's 19.5-20.
 * So the plan is
 * <ol>
 *   <li>the first convolution's output rows in two halves, each followed by the 2x2 max pool's output
 *       rows those halves hold;
 *   <li>then, when the third layer is a stride-1 convolution with at least four filters, its filters
 *       in two halves (pairs stay whole: two filters per pass is the block shape the kernels use), and
 *       when a 2x2 max pool follows, its channels in the same halves, so that the helper hands over
 *       its pooled half (a quarter of the floats);
 *   <li>the remaining layers on the calling thread.
 * </ol>
 *
 * @param rows        the first convolution (its padded-layout form)
 * @param pool        the max pool after it
 * @param poolMiddle  the pool's first output row of the helper's half; the convolution's is twice it
 * @param filters     the third layer's padded-layout form, or null if only the first two layers are shared
 * @param filterMiddle the helper's first filter of the third layer (0 without one)
 * @param channelPool the 2x2 max pool after the third layer, shared by channels, or null
 * @param reason      why there is no plan (then every other component is null or 0)
 */
record SplitPlan(ConvEmitter rows, PoolEmitter pool, int poolMiddle, ConvEmitter filters, int filterMiddle,
                 PoolEmitter channelPool, String reason) {

    /** The plan for {@code pipeline}: one whose {@link #reason()} is null, or one that says why there is none. */
    static SplitPlan of(Pipeline pipeline) {
        List<LayerEmitter> emitters = pipeline.emitters();
        if (emitters.size() < 3 || !(emitters.get(0) instanceof ConvEmitter first)) {
            return none("the network does not start with a convolution, a pool and another layer");
        }
        if (!first.splitsRows()) {
            return none(first.layer().name() + " is not a stride-1 convolution on padded rows");
        }
        if (!(emitters.get(1) instanceof PoolEmitter pool) || !pool.splitsRows()
                || pool.layer().output().height() < 2) {
            return none("the layer after " + first.layer().name() + " is not a 2x2 max pool of stride 2 with two"
                    + " or more output rows");
        }
        int poolMiddle = pool.layer().output().height() / 2;
        if (emitters.get(2) instanceof ConvEmitter third && third.splitsFilters()
                && ((ConvLayer) third.layer()).filters() >= 4) {
            int pairs = ((ConvLayer) third.layer()).filters() / 2;
            PoolEmitter channelPool = emitters.size() > 3 && emitters.get(3) instanceof PoolEmitter fourth
                    && fourth.splitsRows() ? fourth : null;
            return new SplitPlan(first, pool, poolMiddle, third, (pairs + 1) / 2 * 2, channelPool, null);
        }
        return new SplitPlan(first, pool, poolMiddle, null, 0, null, null);
    }

    private static SplitPlan none(String reason) {
        return new SplitPlan(null, null, 0, null, 0, null, reason);
    }

    boolean exists() {
        return reason == null;
    }

    ConvLayer rowsLayer() {
        return (ConvLayer) rows.layer();
    }

    /** Output rows of the first pool. */
    int poolRows() {
        return pool.layer().output().height();
    }

    /** The first convolution's first output row of the helper's half. */
    int rowMiddle() {
        return 2 * poolMiddle;
    }

    ConvEmitter.Share callerRows() {
        return ConvEmitter.Share.rows(rowsLayer(), 0, rowMiddle());
    }

    /** The helper's rows: to the last one, including any the pool does not read. */
    ConvEmitter.Share helperRows() {
        return ConvEmitter.Share.rows(rowsLayer(), rowMiddle(), rowsLayer().output().height());
    }

    ConvEmitter.Share callerFilters() {
        return ConvEmitter.Share.filters((ConvLayer) filters.layer(), 0, filterMiddle);
    }

    ConvEmitter.Share helperFilters() {
        ConvLayer conv = (ConvLayer) filters.layer();
        return ConvEmitter.Share.filters(conv, filterMiddle, conv.filters());
    }

    /** Index of the first layer the calling thread runs alone. */
    int restFrom() {
        return filters == null ? 2 : channelPool == null ? 3 : 4;
    }
}
