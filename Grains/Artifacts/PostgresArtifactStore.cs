using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TaskGrid.Errors;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;

namespace TaskGrid.Grains.Artifacts;

/// <summary>
/// Keeps artifact bytes in the cluster's PostgreSQL as fixed-size <c>bytea</c> chunks.
/// Chunked rows rather than large objects: rows replicate (logical replication skips large
/// objects), back up and delete like any other data, need no <c>lo_unlink</c> bookkeeping, and
/// an upload can write one chunk per statement instead of holding a transaction (and the
/// vacuum horizon) open for as long as a slow client takes. Memory per transfer is one chunk.
/// </summary>
internal sealed partial class PostgresArtifactStore(
    NpgsqlDataSource dataSource,
    DbClock clock,
    IOptions<PostgresArtifactStoreOptions> options,
    ILogger<PostgresArtifactStore> logger) : IArtifactStore
{
    public const string StoreName = "postgres";

    public string Name => StoreName;

    public async Task<StagedContent> WriteAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var key = Guid.CreateVersion7();
        var chunkSize = options.Value.ChunkSize;
        var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            for (var seq = 0; ; seq++)
            {
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, chunkSize), chunkSize, throwOnEndOfStream: false, cancellationToken);
                if (read == 0)
                {
                    break;
                }
                size += read;
                if (size > maxBytes)
                {
                    throw new RequestTooLargeException(
                        $"The file is larger than {maxBytes} bytes, the most an artifact may hold (TaskGrid:Artifacts:MaxBytes).");
                }
                hash.AppendData(buffer, 0, read);
                await using (var insert = new NpgsqlCommand(ArtifactChunkQueries.ChunkInsert, connection)
                    .With("key", key).With("seq", seq).With("data", new ReadOnlyMemory<byte>(buffer, 0, read)).WithNow(clock))
                {
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
                if (read < chunkSize)
                {
                    break;
                }
            }
        }
        catch (Exception)
        {
            // Nothing refers to a staged upload yet, so its chunks can go at once; if even that
            // fails, the abandoned-upload sweep finds them later.
            await TryDeleteAsync(key);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new StagedContent(key.ToString("D"), hash.GetHashAndReset(), size);
    }

    public Task<Stream> OpenReadAsync(string key, long size, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new PostgresChunkReadStream(dataSource, ParseKey(key), size));

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ArtifactChunkQueries.ChunkDeleteByKey);
        command.With("key", ParseKey(key));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> DeleteAbandonedAsync(TimeSpan age, int batch, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ArtifactChunkQueries.ChunkDeleteAbandoned);
        command.With("age", age).With("batch", batch).WithNow(clock);
        return await command.ExecuteScalarAsync(cancellationToken) is int uploads ? uploads : 0;
    }

    private async Task TryDeleteAsync(Guid key)
    {
        try
        {
            await DeleteAsync(key.ToString("D"), CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
        {
            LogStagedNotDeleted(key, ex.Message);
        }
    }

    private static Guid ParseKey(string key) =>
        Guid.TryParseExact(key, "D", out var id) ? id : throw new FormatException($"'{key}' is not a key of the {StoreName} artifact store.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove the chunks of failed upload {Key} ({Reason}); retention will")]
    private partial void LogStagedNotDeleted(Guid key, string reason);
}

/// <summary>
/// Reads a content's chunks one statement at a time, as the consumer asks for bytes, so a
/// download holds one chunk in memory and no transaction. Reports its length (it is known
/// from the metadata) so that responses carry a Content-Length.
/// </summary>
internal sealed class PostgresChunkReadStream(NpgsqlDataSource dataSource, Guid key, long size) : Stream
{
    private byte[] _chunk = [];
    private int _chunkOffset;
    private int _nextSeq;
    private long _position;

    public override bool CanRead => true;

    // Seeking is only "to where we are": enough for response writers that rewind a fresh stream.
    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => size;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= size || buffer.Length == 0)
        {
            return 0;
        }
        if (_chunkOffset >= _chunk.Length)
        {
            await using var command = dataSource.CreateCommand(ArtifactChunkQueries.ChunkSelect);
            command.With("key", key).With("seq", _nextSeq);
            SetChunk(await command.ExecuteScalarAsync(cancellationToken));
        }
        return Copy(buffer.Span);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= size || buffer.Length == 0)
        {
            return 0;
        }
        if (_chunkOffset >= _chunk.Length)
        {
            using var command = dataSource.CreateCommand(ArtifactChunkQueries.ChunkSelect);
            command.With("key", key).With("seq", _nextSeq);
            SetChunk(command.ExecuteScalar());
        }
        return Copy(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => size + offset,
        };
        return target == _position ? _position : throw new NotSupportedException("Artifact content streams are read front to back.");
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void SetChunk(object? data)
    {
        // A chunk that is gone means the content was deleted while being read: fail the read
        // rather than end early, so that nobody mistakes a cut-off file for the whole of it.
        _chunk = data as byte[] is { Length: > 0 } bytes
            ? bytes
            : throw new IOException($"Artifact content {key:N} ends at byte {_position} of {size.ToString(CultureInfo.InvariantCulture)}: it was deleted while being read.");
        _chunkOffset = 0;
        _nextSeq++;
    }

    private int Copy(Span<byte> destination)
    {
        var count = (int)Math.Min(Math.Min(destination.Length, _chunk.Length - _chunkOffset), size - _position);
        _chunk.AsSpan(_chunkOffset, count).CopyTo(destination);
        _chunkOffset += count;
        _position += count;
        return count;
    }
}
