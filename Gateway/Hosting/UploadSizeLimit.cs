using Microsoft.AspNetCore.Http.Metadata;

namespace TaskGrid.Gateway.Hosting;

/// <summary>Endpoint metadata: this route takes bodies up to <see cref="MaxRequestBodySize"/> instead of the gateway's JSON limit.</summary>
/// <param name="MaxRequestBodySize">The largest body, in bytes.</param>
internal sealed record UploadSizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
