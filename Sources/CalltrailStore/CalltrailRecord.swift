import GRDB

/// A row of Calltrail's own tables: snake_case columns for camelCase properties, dates as Unix seconds.
public protocol CalltrailRecord: FetchableRecord, EncodableRecord {}

extension CalltrailRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
    public static var databaseDateEncodingStrategy: DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static var databaseDateDecodingStrategy: DatabaseDateDecodingStrategy { .timeIntervalSince1970 }
}
