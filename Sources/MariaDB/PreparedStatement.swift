import CMariaDB

/// A server-side prepared statement of one connection, with the buffers its results are fetched into.
///
/// Not thread-safe: owned by one ``MariaDBConnection`` and used only while that connection is.
final class PreparedStatement {
    /// The first size of a result buffer for a string or bytes column; longer values are fetched in a second call.
    static let initialBytesCapacity = 256
    /// The largest result buffer kept between executions; longer values are still read whole, into a temporary buffer.
    static let maximumRetainedBytesCapacity = 64 * 1024

    private enum ColumnKind {
        case signed, unsigned, double, dateTime, bytes
    }

    let sql: String
    let parameterCount: Int
    let columns: MariaDBColumns
    private let handle: UnsafeMutablePointer<MYSQL_STMT>
    private let kinds: [ColumnKind]
    private let resultBinds: UnsafeMutablePointer<MYSQL_BIND>
    private var buffers: [UnsafeMutableRawPointer]
    private var capacities: [Int]
    private let lengths: UnsafeMutablePointer<UInt>
    private let nulls: UnsafeMutablePointer<my_bool>
    private let truncations: UnsafeMutablePointer<my_bool>

    /// Prepares `sql` on `mysql`.
    init(sql: String, mysql: UnsafeMutablePointer<MYSQL>) throws(MariaDBError) {
        guard let handle = mysql_stmt_init(mysql) else {
            throw MariaDBConnection.error(of: mysql)
        }
        let prepared = sql.utf8CString.withUnsafeBufferPointer { text in
            mysql_stmt_prepare(handle, text.baseAddress, UInt(text.count - 1))
        }
        if prepared != 0 {
            let error = Self.error(of: handle)
            mysql_stmt_close(handle)
            throw error
        }
        self.sql = sql
        self.handle = handle
        self.parameterCount = Int(mysql_stmt_param_count(handle))

        var names: [String] = []
        var kinds: [ColumnKind] = []
        if let metadata = mysql_stmt_result_metadata(handle) {
            let count = Int(mysql_num_fields(metadata))
            let fields = mysql_fetch_fields(metadata)!
            for i in 0..<count {
                let field = fields[i]
                names.append(String(cString: field.name))
                kinds.append(Self.kind(of: field))
            }
            mysql_free_result(metadata)
        }
        self.columns = MariaDBColumns(names)
        self.kinds = kinds

        let count = kinds.count
        resultBinds = .allocate(capacity: max(count, 1))
        resultBinds.initialize(repeating: MYSQL_BIND(), count: max(count, 1))
        lengths = .allocate(capacity: max(count, 1))
        lengths.initialize(repeating: 0, count: max(count, 1))
        nulls = .allocate(capacity: max(count, 1))
        nulls.initialize(repeating: 0, count: max(count, 1))
        truncations = .allocate(capacity: max(count, 1))
        truncations.initialize(repeating: 0, count: max(count, 1))
        buffers = []
        capacities = []
        for kind in kinds {
            let size: Int
            switch kind {
            case .signed, .unsigned, .double: size = 8
            case .dateTime: size = MemoryLayout<MYSQL_TIME>.stride
            case .bytes: size = Self.initialBytesCapacity
            }
            buffers.append(.allocate(byteCount: size, alignment: 8))
            capacities.append(size)
        }
        bindResultBuffers()
    }

    deinit {
        mysql_stmt_close(handle)
        for buffer in buffers { buffer.deallocate() }
        resultBinds.deallocate()
        lengths.deallocate()
        nulls.deallocate()
        truncations.deallocate()
    }

    /// Runs the statement with `parameters` and reads every row it returns.
    func execute(_ parameters: [MariaDBValue]) throws(MariaDBError) -> MariaDBResult {
        guard parameters.count == parameterCount else {
            throw MariaDBError(
                kind: .client,
                message: "the statement takes \(parameterCount) parameters, \(parameters.count) were given: \(sql)"
            )
        }
        let storage = ParameterStorage(parameters)
        defer { storage.deallocate() }
        if parameterCount > 0, mysql_stmt_bind_param(handle, storage.binds) != 0 {
            throw Self.error(of: handle)
        }
        if mysql_stmt_execute(handle) != 0 {
            let error = Self.error(of: handle)
            mysql_stmt_reset(handle)
            throw error
        }
        let rows = try fetchRows()
        return MariaDBResult(
            columns: columns,
            rows: rows,
            affectedRows: kinds.isEmpty ? mysql_stmt_affected_rows(handle) : 0,
            lastInsertID: kinds.isEmpty ? mysql_stmt_insert_id(handle) : 0
        )
    }

    private func fetchRows() throws(MariaDBError) -> [MariaDBRow] {
        guard !kinds.isEmpty else { return [] }
        var rows: [MariaDBRow] = []
        var grow: [Int: Int] = [:]
        while true {
            let status = mysql_stmt_fetch(handle)
            if status == MYSQL_NO_DATA { break }
            if status == 1 {
                let error = Self.error(of: handle)
                mysql_stmt_free_result(handle)
                throw error
            }
            var values: [MariaDBValue] = []
            values.reserveCapacity(kinds.count)
            for i in kinds.indices {
                if nulls[i] != 0 {
                    values.append(.null)
                    continue
                }
                let buffer = buffers[i]
                switch kinds[i] {
                case .signed: values.append(.int(buffer.load(as: Int64.self)))
                case .unsigned: values.append(.uint(buffer.load(as: UInt64.self)))
                case .double: values.append(.double(buffer.load(as: Double.self)))
                case .dateTime: values.append(.date(MariaDBDateTime.date(from: buffer.load(as: MYSQL_TIME.self))))
                case .bytes:
                    let length = Int(lengths[i])
                    if length <= capacities[i] {
                        values.append(Self.value(bytes: UnsafeRawBufferPointer(start: buffer, count: length)))
                    } else {
                        values.append(try fetchLongColumn(i, length: length))
                        grow[i] = max(grow[i] ?? 0, length)
                    }
                }
            }
            rows.append(MariaDBRow(columns: columns, values: values))
        }
        mysql_stmt_free_result(handle)
        if !grow.isEmpty { growBuffers(grow) }
        return rows
    }

    /// Reads a value that did not fit its buffer with a second, exactly sized fetch.
    private func fetchLongColumn(_ index: Int, length: Int) throws(MariaDBError) -> MariaDBValue {
        let temporary = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 1)
        defer { temporary.deallocate() }
        var actualLength: UInt = 0
        var bind = MYSQL_BIND()
        bind.buffer_type = MYSQL_TYPE_BLOB
        bind.buffer = temporary
        bind.buffer_length = UInt(length)
        let status = withUnsafeMutablePointer(to: &actualLength) { lengthPointer in
            bind.length = lengthPointer
            return mysql_stmt_fetch_column(handle, &bind, UInt32(index), 0)
        }
        if status != 0 { throw Self.error(of: handle) }
        return Self.value(bytes: UnsafeRawBufferPointer(start: temporary, count: min(Int(actualLength), length)))
    }

    private func growBuffers(_ needed: [Int: Int]) {
        for (i, length) in needed {
            let capacity = min(Self.maximumRetainedBytesCapacity, max(length, capacities[i] * 2))
            guard capacity > capacities[i] else { continue }
            buffers[i].deallocate()
            buffers[i] = .allocate(byteCount: capacity, alignment: 8)
            capacities[i] = capacity
        }
        bindResultBuffers()
    }

    private func bindResultBuffers() {
        guard !kinds.isEmpty else { return }
        for i in kinds.indices {
            var bind = MYSQL_BIND()
            switch kinds[i] {
            case .signed: bind.buffer_type = MYSQL_TYPE_LONGLONG
            case .unsigned:
                bind.buffer_type = MYSQL_TYPE_LONGLONG
                bind.is_unsigned = 1
            case .double: bind.buffer_type = MYSQL_TYPE_DOUBLE
            case .dateTime: bind.buffer_type = MYSQL_TYPE_DATETIME
            case .bytes: bind.buffer_type = MYSQL_TYPE_BLOB
            }
            bind.buffer = buffers[i]
            bind.buffer_length = UInt(capacities[i])
            bind.length = lengths + i
            bind.is_null = nulls + i
            bind.error = truncations + i
            resultBinds[i] = bind
        }
        // Binding our own, valid buffers cannot fail; a failure here is a programming error.
        let failed = mysql_stmt_bind_result(handle, resultBinds)
        precondition(failed == 0, "mysql_stmt_bind_result rejected the result buffers")
    }

    /// Text when the bytes are UTF-8, raw bytes otherwise.
    private static func value(bytes: UnsafeRawBufferPointer) -> MariaDBValue {
        if let text = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) {
            return .string(text)
        }
        return .bytes(Array(bytes))
    }

    private static func kind(of field: MYSQL_FIELD) -> ColumnKind {
        let unsigned = field.flags & UInt32(UNSIGNED_FLAG) != 0
        switch field.type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_INT24, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_YEAR:
            return unsigned ? .unsigned : .signed
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
            return .double
        case MYSQL_TYPE_DATETIME, MYSQL_TYPE_TIMESTAMP, MYSQL_TYPE_DATE, MYSQL_TYPE_DATETIME2, MYSQL_TYPE_TIMESTAMP2:
            return .dateTime
        default:
            return .bytes
        }
    }

    static func error(of handle: UnsafeMutablePointer<MYSQL_STMT>) -> MariaDBError {
        MariaDBError(
            number: mysql_stmt_errno(handle),
            sqlState: String(cString: mysql_stmt_sqlstate(handle)),
            message: String(cString: mysql_stmt_error(handle))
        )
    }
}

/// The `MYSQL_BIND` array and the memory it points into for one execution's parameters.
///
/// `mysql_stmt_bind_param` copies the bind array but not the buffers, so they live here until execute returns.
private struct ParameterStorage {
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    private let lengths: UnsafeMutablePointer<UInt>
    private var allocations: [UnsafeMutableRawPointer] = []

    init(_ parameters: [MariaDBValue]) {
        let count = max(parameters.count, 1)
        binds = .allocate(capacity: count)
        binds.initialize(repeating: MYSQL_BIND(), count: count)
        lengths = .allocate(capacity: count)
        lengths.initialize(repeating: 0, count: count)
        for (i, parameter) in parameters.enumerated() {
            var bind = MYSQL_BIND()
            switch parameter {
            case .null:
                bind.buffer_type = MYSQL_TYPE_NULL
            case .int(let value):
                bind.buffer_type = MYSQL_TYPE_LONGLONG
                bind.buffer = store(value)
            case .uint(let value):
                bind.buffer_type = MYSQL_TYPE_LONGLONG
                bind.is_unsigned = 1
                bind.buffer = store(value)
            case .double(let value):
                bind.buffer_type = MYSQL_TYPE_DOUBLE
                bind.buffer = store(value)
            case .date(let value):
                bind.buffer_type = MYSQL_TYPE_DATETIME
                bind.buffer = store(MariaDBDateTime.mysqlTime(from: value))
            case .string(let value):
                bind.buffer_type = MYSQL_TYPE_STRING
                bind.buffer = store(bytes: Array(value.utf8))
                lengths[i] = UInt(value.utf8.count)
                bind.buffer_length = lengths[i]
                bind.length = lengths + i
            case .bytes(let value):
                bind.buffer_type = MYSQL_TYPE_BLOB
                bind.buffer = store(bytes: value)
                lengths[i] = UInt(value.count)
                bind.buffer_length = lengths[i]
                bind.length = lengths + i
            }
            binds[i] = bind
        }
    }

    private mutating func store<T>(_ value: T) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<T>.size, alignment: MemoryLayout<T>.alignment)
        pointer.initializeMemory(as: T.self, repeating: value, count: 1)
        allocations.append(pointer)
        return pointer
    }

    private mutating func store(bytes: [UInt8]) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { pointer.copyMemory(from: base, byteCount: source.count) }
        }
        allocations.append(pointer)
        return pointer
    }

    func deallocate() {
        for pointer in allocations { pointer.deallocate() }
        binds.deallocate()
        lengths.deallocate()
    }
}
