using System.Text.RegularExpressions;
using TaskGrid.Artifacts;

namespace TaskGrid.Validation;

/// <summary>Checks artifact names, content types and owners, naming every bad field.</summary>
public static partial class ArtifactRequestValidator
{
    /// <summary>Validates an upload's metadata; throws <see cref="Errors.RequestValidationException"/> if it is bad.</summary>
    public static void ThrowIfInvalid(ArtifactUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var errors = new ValidationErrors();
        if (upload.Name is not null)
        {
            ValidateName(errors, "name", upload.Name);
        }
        if (upload.ContentType is not null)
        {
            TextRules.Optional(errors, "content_type", upload.ContentType, ArtifactLimits.ContentTypeMaxLength);
            TextRules.Matches(errors, "content_type", upload.ContentType, ContentTypePattern(), "use a media type such as text/x-python or application/octet-stream");
        }
        if (upload.UserId is not null)
        {
            TextRules.Matches(errors, "user_id", upload.UserId, TextRules.UserId(), "use 1-128 letters, digits, '.', '_', '@' or '-'");
        }
        errors.ThrowIfAny();
    }

    /// <summary>Validates a rename; throws <see cref="Errors.RequestValidationException"/> if it is bad.</summary>
    public static void ThrowIfInvalid(RenameArtifactRequest? request)
    {
        var errors = new ValidationErrors();
        if (request?.Name is null)
        {
            errors.Add("name", "is required.");
        }
        else
        {
            ValidateName(errors, "name", request.Name);
        }
        errors.ThrowIfAny();
    }

    /// <summary>A name is free text for people, but never blank, never with control characters (it ends up in a Content-Disposition header).</summary>
    public static void ValidateName(ValidationErrors errors, string field, string name)
    {
        ArgumentNullException.ThrowIfNull(errors);
        TextRules.Required(errors, field, name, ArtifactLimits.NameMaxLength);
        if (name.Any(char.IsControl))
        {
            errors.Add(field, "must not contain control characters (line breaks, tabs, ...).");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\s*;.*)?$")]
    private static partial Regex ContentTypePattern();
}
