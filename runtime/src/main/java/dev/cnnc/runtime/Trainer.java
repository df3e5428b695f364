package dev.cnnc.runtime;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Mini-batch training of a {@link TrainableModel} on all cores, bitwise reproducible.
 *
 * <pre>{@code
 * LeNetModel model = new LeNetModel();
 * History history = Trainer.builder(model)
 *         .optimizer(new Sgd(0.01f).momentum(0.9f).nesterov(true))
 *         .schedule(Schedule.cosine(1e-4f))
 *         .batchSize(64)
 *         .epochs(10)
 *         .seed(42)
 *         .validation(testSet)
 *         .checkpointTo(new File("lenet.ckpt"))
 *         .build()
 *         .fit(trainSet);
 * WeightsFile.save(model, new File("lenet.weights"));
 * System.out.println(Evaluation.of(model, testSet).format());
 * }</pre>
 *
 * <p>What a run does: initializes the parameters from the seed ({@link Init}, He uniform by
 * default; skipped when resuming), then each epoch shuffles the training set with a generator
 * seeded from the same seed, splits it into batches (the last one may be smaller), and for each
 * batch computes the mean gradient of the softmax cross-entropy loss (as PyTorch's
 * {@code CrossEntropyLoss} with mean reduction) and lets the optimizer update the parameters with the
 * schedule's learning rate for that epoch. After each epoch it evaluates the validation set (if
 * any), records the {@link History}, writes the checkpoint (if configured), prints progress and
 * calls the listener.
 *
 * <p>Reproducibility: the result depends only on the model, data, seed and settings, never on the
 * thread count (see {@code BatchGradient}); a run resumed from a checkpoint continues bitwise as if
 * it had never stopped, given the same settings.
 *
 * <p>Failure: a NaN or infinite batch loss or gradient stops training with a
 * {@link TrainingDivergedException} naming the epoch and batch; that batch is not applied and the
 * checkpoint file keeps the last good epoch. Interrupting the training thread stops it before the
 * next batch with a {@link TrainingInterruptedException}; the checkpoint file keeps the last
 * completed epoch. Worker threads are stopped and joined whatever happens.
 */
public final class Trainer {
    /** Mixed into the seed for the shuffling stream, so it is independent of the initialization stream. */
    private static final long SHUFFLE_STREAM = 0x53485546464C45L; // "SHUFFLE"

    private final TrainableModel model;
    private final Optimizer optimizer;
    private final Schedule schedule;
    private final int batchSize;
    private final int epochs;
    private final long seed;
    private final Init init;
    private final boolean shuffle;
    private final int threads;
    private final Dataset validation;
    private final PrintStream progressOut;
    private final boolean terminal;
    private final File checkpointFile;
    private final File resumeFile;
    private final EpochListener listener;

    private Trainer(Builder builder) {
        model = builder.model;
        optimizer = builder.optimizer;
        schedule = builder.schedule;
        batchSize = builder.batchSize;
        epochs = builder.epochs;
        seed = builder.seed;
        init = builder.init;
        shuffle = builder.shuffle;
        threads = builder.threads;
        validation = builder.validation;
        progressOut = builder.progressOut;
        terminal = builder.terminal == null
                ? progressOut == System.out && System.console() != null
                : builder.terminal;
        checkpointFile = builder.checkpointFile;
        resumeFile = builder.resumeFile;
        listener = builder.listener;
    }

    /** Starts a configuration for training {@code model}. */
    public static Builder builder(TrainableModel model) {
        return new Builder(model);
    }

    /**
     * Trains the model on {@code train} and returns the history (including the epochs of a resumed
     * checkpoint). The model's parameters are updated in place.
     *
     * @throws IllegalArgumentException   if the data does not fit the model
     * @throws TrainingDivergedException  if a loss or gradient becomes NaN or infinite
     * @throws IllegalStateException      if the model throws in a worker thread (its exception is the cause)
     * @throws TrainingInterruptedException if the calling thread is interrupted (checked before each batch)
     * @throws IOException                if a checkpoint cannot be read or written
     */
    public History fit(Dataset train) throws IOException {
        WorkerPool pool = new WorkerPool(model, threads);
        try {
            // the checks read every pixel (tens of megabytes, on every fit): on the pool's workers
            train.checkFits(model, "training set", pool);
            if (train.count() == 0) {
                throw new IllegalArgumentException("the training set is empty");
            }
            if (validation != null) {
                validation.checkFits(model, "validation set", pool);
            }
            if (checkpointFile != null) {
                File directory = checkpointFile.getAbsoluteFile().getParentFile();
                if (directory == null || !directory.isDirectory()) {
                    // Fail now, not after the first epoch's work.
                    throw new IOException("cannot write checkpoint " + checkpointFile + ": directory " + directory
                            + " does not exist");
                }
            }
            return run(train, pool);
        } finally {
            pool.close();
        }
    }

    private History run(Dataset train, WorkerPool pool) throws IOException {
        float[] parameters = model.parameters();
        SplitMix64 shuffler;
        History history;
        int firstEpoch;
        if (resumeFile != null) {
            Checkpoint checkpoint = Checkpoint.load(resumeFile, model);
            try {
                optimizer.restore(checkpoint.optimizerState());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot resume from " + resumeFile + ": " + e.getMessage(), e);
            }
            System.arraycopy(checkpoint.parameters(), 0, parameters, 0, parameters.length);
            shuffler = new SplitMix64(checkpoint.randomState());
            history = checkpoint.history();
            firstEpoch = checkpoint.epoch();
        } else {
            init.apply(model, seed);
            shuffler = new SplitMix64(SplitMix64.mix(seed ^ SHUFFLE_STREAM));
            history = new History();
            firstEpoch = 0;
        }
        int count = train.count();
        int batches = (count + batchSize - 1) / batchSize;
        BatchGradient batchGradient = new BatchGradient(model, pool, Math.min(batchSize, count));
        ProgressPrinter progress = new ProgressPrinter(progressOut, terminal, epochs, batches, count);
        int[] order = new int[count];
        for (int epoch = firstEpoch; epoch < epochs; epoch++) {
            long start = System.nanoTime();
            progress.epochStarted();
            for (int i = 0; i < count; i++) {
                order[i] = i; // each epoch shuffles the identity, so only the generator state carries over
            }
            if (shuffle) {
                shuffler.shuffle(order);
            }
            float learningRate = schedule.learningRate(optimizer.learningRate(), epoch, epochs);
            double lossSum = 0;
            long correct = 0;
            for (int batch = 0; batch < batches; batch++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw interrupted(epoch, batch, batches);
                }
                int from = batch * batchSize;
                int to = Math.min(from + batchSize, count);
                batchGradient.compute(train, order, from, to);
                double batchLoss = batchGradient.lossSum();
                if (Double.isNaN(batchLoss) || Double.isInfinite(batchLoss)) {
                    throw diverged(epoch, batch, batches, "the batch loss is " + batchLoss / (to - from));
                }
                int nonFinite = batchGradient.firstNonFinite();
                if (nonFinite >= 0) {
                    throw diverged(epoch, batch, batches,
                            "gradient " + nonFinite + " is " + batchGradient.meanGradient()[nonFinite]);
                }
                batchGradient.step(optimizer, parameters, learningRate);
                lossSum += batchLoss;
                correct += batchGradient.correct();
                progress.batchDone(epoch + 1, batch + 1, to, lossSum, correct);
            }
            double validationLoss = Double.NaN;
            double validationAccuracy = Double.NaN;
            if (validation != null && validation.count() > 0) {
                Evaluation evaluation = Evaluation.of(model, validation, pool);
                validationLoss = evaluation.loss();
                validationAccuracy = evaluation.accuracy();
            }
            history.add(lossSum / count, (double) correct / count, validationLoss, validationAccuracy, learningRate,
                    (System.nanoTime() - start) / 1e9);
            if (checkpointFile != null) {
                Checkpoint checkpoint = new Checkpoint(epoch + 1, parameters.clone(), optimizer.state(),
                        shuffler.state(), history.copy());
                Checkpoint.save(model, checkpoint, checkpointFile);
            }
            progress.epochDone(epoch + 1, history);
            if (listener != null && !listener.epochEnded(epoch + 1, history.copy())) {
                break;
            }
        }
        return history;
    }

    private TrainingInterruptedException interrupted(int epoch, int batch, int batches) {
        String checkpointNote = checkpointFile == null
                ? ""
                : epoch == 0 && resumeFile == null
                ? "; no checkpoint was written yet"
                : "; " + checkpointFile + " holds epoch " + epoch + ", resume from it with the same settings";
        return new TrainingInterruptedException("training interrupted before epoch " + (epoch + 1) + "/" + epochs
                + ", batch " + (batch + 1) + "/" + batches + "; the parameters are those after the batch before"
                + checkpointNote, epoch + 1, batch + 1);
    }

    private TrainingDivergedException diverged(int epoch, int batch, int batches, String what) {
        String checkpointNote = checkpointFile == null
                ? ""
                : epoch == 0 && resumeFile == null
                ? "; no checkpoint was written yet"
                : "; " + checkpointFile + " keeps the last good epoch";
        return new TrainingDivergedException("training diverged at epoch " + (epoch + 1) + "/" + epochs + ", batch "
                + (batch + 1) + "/" + batches + ": " + what + "; the parameters are from before this batch"
                + checkpointNote + " (lower the learning rate or check the data for NaN)", epoch + 1, batch + 1);
    }

    /** Configuration of a {@link Trainer}; every setting has a default except the model. */
    public static final class Builder {
        private final TrainableModel model;
        private Optimizer optimizer = new Sgd(0.01f);
        private Schedule schedule = Schedule.constant();
        private int batchSize = 32;
        private int epochs = 1;
        private long seed;
        private Init init = Init.HE_UNIFORM;
        private boolean shuffle = true;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Dataset validation;
        private PrintStream progressOut = System.out;
        private Boolean terminal;
        private File checkpointFile;
        private File resumeFile;
        private EpochListener listener;

        private Builder(TrainableModel model) {
            if (model == null) {
                throw new IllegalArgumentException("model must not be null");
            }
            this.model = model;
        }

        /** Default {@code new Sgd(0.01f)}. The optimizer keeps its state across {@code fit} calls. */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = notNull(optimizer, "optimizer");
            return this;
        }

        /** Learning rate per epoch; default {@link Schedule#constant()}. */
        public Builder schedule(Schedule schedule) {
            this.schedule = notNull(schedule, "schedule");
            return this;
        }

        /** Samples per batch, default 32. */
        public Builder batchSize(int batchSize) {
            this.batchSize = atLeastOne(batchSize, "batchSize");
            return this;
        }

        /** Total epochs of the run (a resumed run counts the checkpoint's epochs), default 1. */
        public Builder epochs(int epochs) {
            this.epochs = atLeastOne(epochs, "epochs");
            return this;
        }

        /** Seed of initialization and shuffling, default 0 (a seed like any other). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Parameter initialization, default {@link Init#HE_UNIFORM}; {@link Init#KEEP} to fine-tune. */
        public Builder init(Init init) {
            this.init = notNull(init, "init");
            return this;
        }

        /** Whether to reshuffle the training set every epoch, default {@code true}. */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * Worker threads, default one per available processor. Does not change the result. Between the
         * parallel parts of a batch the workers poll for up to 2 ms instead of sleeping, so more threads
         * than free cores make the batch slower, not faster.
         */
        public Builder threads(int threads) {
            this.threads = atLeastOne(threads, "threads");
            return this;
        }

        /** Evaluated after every epoch into the history; none by default. */
        public Builder validation(Dataset validation) {
            this.validation = validation;
            return this;
        }

        /**
         * Where progress goes, default {@code System.out}; redrawn in place only on a terminal
         * ({@code System.out} with a console).
         */
        public Builder progress(PrintStream out) {
            this.progressOut = notNull(out, "progress stream");
            this.terminal = null;
            return this;
        }

        /** Progress to {@code out}, redrawn with {@code \r} if {@code terminal}, else a line per epoch. */
        public Builder progress(PrintStream out, boolean terminal) {
            this.progressOut = notNull(out, "progress stream");
            this.terminal = terminal;
            return this;
        }

        /** No progress output. */
        public Builder quiet() {
            this.progressOut = null;
            this.terminal = false;
            return this;
        }

        /** Writes a {@link Checkpoint} to {@code file} (atomically) after every epoch. */
        public Builder checkpointTo(File file) {
            this.checkpointFile = file;
            return this;
        }

        /**
         * Continues the run saved in {@code file} instead of initializing: parameters, optimizer
         * state, shuffling state and history come from the checkpoint. Use the same settings as the
         * interrupted run.
         */
        public Builder resumeFrom(File file) {
            this.resumeFile = file;
            return this;
        }

        /** Called after every epoch; may stop training. */
        public Builder listener(EpochListener listener) {
            this.listener = listener;
            return this;
        }

        public Trainer build() {
            return new Trainer(this);
        }

        private static <T> T notNull(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        private static int atLeastOne(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }
    }
}
