using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TaskGrid.Artifacts;
using TaskGrid.Errors;
using TaskGrid.Gateway.Auth;
using TaskGrid.Gateway.Hosting;
using TaskGrid.Grains.Artifacts;
using TaskGrid.Paging;

namespace TaskGrid.Gateway.Apis;

/// <summary><c>/v1/artifacts</c>: upload files (streamed, deduplicated by content), list, read, download, rename, delete.</summary>
internal static class ArtifactsApi
{
    // Room for multipart boundaries and part headers around the largest artifact.
    private const long MultipartOverhead = 64 * 1024;
    private const int MaxNamePartBytes = 4096;

    public static RouteGroupBuilder MapArtifactsApi(this IEndpointRouteBuilder endpoints)
    {
        var maxBytes = endpoints.ServiceProvider.GetRequiredService<IOptions<ArtifactOptions>>().Value.MaxBytes;
        var group = endpoints.MapGroup("/v1/artifacts").WithTags("Artifacts");

        group.MapPost("/", UploadAsync)
            .WithSummary("Upload a file as an artifact")
            .WithDescription(
                "Either `multipart/form-data` with the file in a part named `file` (and optionally a `name` part), or the raw bytes as the body " +
                "with `?name=`. The file is streamed to the store while its SHA-256 is computed. The same bytes uploaded again by the same owner " +
                $"answer the existing artifact (200) instead of a new one (201). At most {maxBytes} bytes (413 above).")
            .WithMetadata(new UploadSizeLimit(maxBytes + MultipartOverhead));
        group.MapGet("/", ListAsync).WithSummary("List artifacts, newest first");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("Get an artifact's metadata");
        group.MapGet("/{id:guid}/content", ContentAsync)
            .WithSummary("Download an artifact's bytes")
            .WithDescription("Streamed as `application/octet-stream` with the content's SHA-256 as ETag; `If-None-Match` with that ETag answers 304.");
        group.MapPatch("/{id:guid}", RenameAsync).WithSummary("Rename an artifact");
        group.MapDelete("/{id:guid}", DeleteAsync)
            .WithSummary("Delete an artifact")
            .WithDescription("Refused with 409 while a pending or running task runs it. Its bytes go once no other owner holds the same content.");
        return group;
    }

    private static async Task<Results<Created<ArtifactView>, Ok<ArtifactView>>> UploadAsync(
        HttpContext context, IGrainFactory grains, CancellationToken cancellationToken, string? name = null, string? user_id = null)
    {
        var caller = context.Caller();
        var request = context.Request;
        var saved = MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? await UploadMultipartAsync(context, grains, mediaType, name, user_id, cancellationToken)
            : await grains.ArtifactUploads().UploadAsync(caller, new ArtifactUpload(name, RawContentType(mediaType), user_id), request.Body, cancellationToken);
        return saved.Created
            ? TypedResults.Created($"/v1/artifacts/{saved.Artifact.Id}", saved.Artifact)
            : TypedResults.Ok(saved.Artifact);
    }

    private static async Task<ArtifactSaved> UploadMultipartAsync(
        HttpContext context, IGrainFactory grains, MediaTypeHeaderValue mediaType, string? name, string? userId, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw new RequestValidationException("body", "multipart/form-data needs a boundary in its Content-Type.");
        }
        // Parts are read as they arrive: the file streams straight to the store, never buffered.
        var reader = new MultipartReader(boundary, context.Request.Body) { BodyLengthLimit = null };
        ArtifactSaved? saved = null;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                throw new RequestValidationException("body", $"every part of the upload needs 'Content-Disposition: form-data; name=...'; a part has '{section.ContentDisposition}'.");
            }
            var part = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            switch (part)
            {
                case "file" when saved is null:
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    saved = await grains.ArtifactUploads().UploadAsync(
                        caller, new ArtifactUpload(name ?? NullIfEmpty(fileName), RawContentType(section.ContentType), userId), section.Body, cancellationToken);
                    break;
                case "file":
                    throw new RequestValidationException("file", "send one file per upload.");
                case "name":
                    var value = await ReadNameAsync(section.Body, cancellationToken);
                    if (saved is null)
                    {
                        name = value;
                    }
                    else if (saved.Created)
                    {
                        // The name came after the file: apply it to the artifact just made.
                        saved = saved with { Artifact = await grains.Artifact(saved.Artifact.Id).RenameAsync(caller, new RenameArtifactRequest { Name = value }, cancellationToken) };
                    }
                    break;
                default:
                    throw new RequestValidationException(part.Length == 0 ? "body" : part, "is not a part of an upload; send 'file' and, optionally, 'name'.");
            }
        }
        return saved ?? throw new RequestValidationException("file", "is required: send the file in a multipart part named 'file'.");
    }

    private static async Task<Ok<Page<ArtifactView>>> ListAsync(
        HttpContext context, IGrainFactory grains, CancellationToken cancellationToken,
        string? user_id = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await grains.Catalog().ListArtifactsAsync(context.Caller(), new ArtifactQuery(user_id, ListQueryParser.Limit(limit), cursor), cancellationToken));

    private static async Task<Ok<ArtifactView>> GetAsync(Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.Artifact(id).GetAsync(context.Caller(), cancellationToken));

    private static async Task<FileStreamHttpResult> ContentAsync(Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var content = await grains.Artifact(id).OpenContentAsync(context.Caller(), cancellationToken);
        context.Response.RegisterForDisposeAsync(content);
        // Whatever the uploader claimed, a download is bytes: never rendered on the API's origin.
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.Stream(content.Content, "application/octet-stream", DownloadName(content.Artifact.Name),
            entityTag: new EntityTagHeaderValue($"\"{content.Artifact.Sha256}\""));
    }

    private static async Task<Ok<ArtifactView>> RenameAsync(Guid id, RenameArtifactRequest request, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.Artifact(id).RenameAsync(context.Caller(), request, cancellationToken));

    private static async Task<NoContent> DeleteAsync(Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken)
    {
        await grains.Artifact(id).DeleteAsync(context.Caller(), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<string> ReadNameAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxNamePartBytes + 1];
        var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read > MaxNamePartBytes
            ? throw new RequestValidationException("name", $"is longer than {ArtifactLimits.NameMaxLength} characters.")
            : System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    // curl --data-binary sends application/x-www-form-urlencoded unless told otherwise: that says
    // nothing about the file, so it is not kept.
    private static string? RawContentType(MediaTypeHeaderValue? mediaType) =>
        mediaType is null || mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            ? null
            : mediaType.ToString();

    private static string? RawContentType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType) ? RawContentType(mediaType) : null;

    private static string DownloadName(string name)
    {
        var last = name[(name.LastIndexOf('/') + 1)..];
        return last.Length == 0 ? ArtifactLimits.DefaultName : last;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
