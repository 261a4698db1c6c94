using System.Text;

namespace TaskGrid.Cli.Input;

/// <summary>
/// Splits CSV text (RFC 4180: comma-separated, fields optionally in double quotes, <c>""</c> for a
/// quote inside, line breaks allowed inside quotes) into records, each with the line it starts
/// on. Blank lines are skipped.
/// </summary>
internal static class CsvRecords
{
    public static List<(int Line, List<string> Fields)> Parse(string text, string name)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var fieldWasQuoted = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    quoted = fieldWasQuoted = true;
                    break;
                case '"':
                    throw new UsageException($"{name}:{line}: a quote inside an unquoted field; put the whole field in double quotes and write a quote as \"\".");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\r' or '\n':
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    if (fieldWasQuoted)
                    {
                        throw new UsageException($"{name}:{line}: text after a closing quote; a quoted field must end at a comma or the end of the line.");
                    }
                    field.Append(c);
                    break;
            }
        }
        if (quoted)
        {
            throw new UsageException($"{name}:{recordLine}: a quoted field is never closed (a \" is missing).");
        }
        EndRecord();
        return records;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            fieldWasQuoted = false;
            if (fields.Count > 1 || fields[0].Length > 0)
            {
                records.Add((recordLine, fields));
            }
            fields = [];
        }
    }
}
