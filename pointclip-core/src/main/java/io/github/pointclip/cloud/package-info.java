/** The immutable {@link io.github.pointclip.cloud.PointCloud} value type and its helpers. */
package io.github.pointclip.cloud;
