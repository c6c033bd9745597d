CREATE TABLE `checkpoints` (
	`run_id` text NOT NULL,
	`epoch` integer NOT NULL,
	`path` text NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`run_id`, `epoch`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `datasets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`root` text NOT NULL,
	`image_size` integer,
	`train_a` integer NOT NULL,
	`train_b` integer NOT NULL,
	`test_a` integer NOT NULL,
	`test_b` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `datasets_name_unique` ON `datasets` (`name`);--> statement-breakpoint
CREATE TABLE `epochs` (
	`run_id` text NOT NULL,
	`epoch` integer NOT NULL,
	`losses` text NOT NULL,
	`lr` real NOT NULL,
	`ssim` text,
	`duration_ms` real NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`run_id`, `epoch`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `evaluations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`subject_run_id` text NOT NULL,
	`epoch` integer NOT NULL,
	`split` text NOT NULL,
	`metric` text NOT NULL,
	`comparison` text NOT NULL,
	`domain` text NOT NULL,
	`value` real NOT NULL,
	`std` real,
	`n` integer NOT NULL,
	`extractor` text,
	`resize` text,
	`warning` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`subject_run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `evaluations_run_idx` ON `evaluations` (`run_id`);--> statement-breakpoint
CREATE INDEX `evaluations_subject_idx` ON `evaluations` (`subject_run_id`);--> statement-breakpoint
CREATE TABLE `image_scores` (
	`evaluation_id` integer NOT NULL,
	`image` text NOT NULL,
	`value` real NOT NULL,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `image_scores_evaluation_image_idx` ON `image_scores` (`evaluation_id`,`image`);--> statement-breakpoint
CREATE TABLE `metric_points` (
	`run_id` text NOT NULL,
	`name` text NOT NULL,
	`step` integer NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`run_id`, `name`, `step`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `run_tags` (
	`run_id` text NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`run_id`, `tag`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `run_tags_tag_idx` ON `run_tags` (`tag`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`config` text NOT NULL,
	`dataset_id` text NOT NULL,
	`seed` integer NOT NULL,
	`init_gab_run_id` text,
	`init_gba_run_id` text,
	`source_run_id` text,
	`backend` text,
	`error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`heartbeat_at` integer,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`init_gab_run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`init_gba_run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`source_run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `runs_status_idx` ON `runs` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_created_idx` ON `runs` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_source_idx` ON `runs` (`source_run_id`);--> statement-breakpoint
CREATE TABLE `samples` (
	`run_id` text NOT NULL,
	`epoch` integer NOT NULL,
	`domain` text NOT NULL,
	`kind` text NOT NULL,
	`index` integer NOT NULL,
	`image` text NOT NULL,
	`path` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`run_id`, `epoch`, `domain`, `kind`, `index`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
