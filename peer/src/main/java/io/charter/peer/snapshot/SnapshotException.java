package io.charter.peer.snapshot;

/**
 * A snapshot that could not be written or read, with its stable code: {@code SNAPSHOT_EXISTS},
 * {@code CHANNEL_EMPTY}, {@code SNAPSHOT_IN_PROGRESS}, {@code SNAPSHOT_FAILED} (docs/snapshots.md).
 */
public final class SnapshotException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    public SnapshotException(String code, String message) {
        super(message);
        this.code = code;
    }

    public SnapshotException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
